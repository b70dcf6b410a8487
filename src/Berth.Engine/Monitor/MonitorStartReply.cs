namespace Berth.Engine.Monitor;

/// <summary>
/// The one message the monitor writes on its sync pipe to the launcher: the container's pid once
/// it runs, or why it could not be started with docker's exit code for it.
/// </summary>
public sealed record MonitorStartReply
{
    public int Pid { get; init; }

    public string? Error { get; init; }

    /// <summary>125 engine/runtime error, 126 cannot invoke, 127 not found.</summary>
    public int ExitCode { get; init; }
}
