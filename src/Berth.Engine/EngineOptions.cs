namespace Berth.Engine;

/// <summary>
/// Where the engine keeps its state and which helper binaries it runs. <see cref="Root"/> holds
/// images, layers and containers (<c>/var/lib/berth</c> by default; tests always pass a temp
/// root); <see cref="RunRoot"/> is the runtime's state directory (<c>/run/berth</c> by default).
/// </summary>
public sealed record EngineOptions
{
    public required string Root { get; init; }

    public required string RunRoot { get; init; }

    /// <summary>The OCI runtime: berth-runtime, or runc/crun (anything with runc's command line).</summary>
    public required string RuntimePath { get; init; }

    public required string MonitorPath { get; init; }

    /// <summary>The <c>berth</c> binary, which a monitor runs to clean up an auto-removed container.</summary>
    public required string BerthPath { get; init; }

    /// <summary>The init run as pid 1 for <c>--init</c> (docker's docker-init is tini).</summary>
    public string InitPath { get; init; } = "/usr/bin/tini-static";

    public static string DefaultRoot => "/var/lib/berth";

    public static string DefaultRunRoot => "/run/berth";

    /// <summary>The directory a non-default root keeps its run state in, so two roots never share one.</summary>
    public static string RunRootFor(string root) =>
        Path.GetFullPath(root) == DefaultRoot ? DefaultRunRoot : Path.Combine(Path.GetFullPath(root), "run");
}
