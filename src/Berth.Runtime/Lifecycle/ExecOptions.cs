using Berth.Oci.Runtime;

namespace Berth.Runtime.Lifecycle;

/// <summary>The options of `exec`: the whole process to start, and how to attach to it.</summary>
public sealed record ExecOptions
{
    public Process Process { get; init; } = new();
    public string? PidFile { get; init; }
    public string? ConsoleSocket { get; init; }
    public bool Detach { get; init; }
    public int PreserveFds { get; init; }
}
