namespace Berth.Runtime.Lifecycle;

/// <summary>How a <see cref="ContainerRuntime"/> is wired: its state root and where it reports.</summary>
public sealed record RuntimeOptions
{
    public const string DefaultRoot = "/run/berth-runtime";

    public string Root { get; init; } = DefaultRoot;

    /// <summary>The berth-runtime executable, re-run as `berth-runtime init` inside each container.</summary>
    public string InitPath { get; init; } = Environment.ProcessPath ?? "/proc/self/exe";

    /// <summary>Where warnings go (failed poststart/poststop hooks).</summary>
    public TextWriter Warnings { get; init; } = TextWriter.Null;
}
