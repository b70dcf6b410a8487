using Berth.Linux.Files;
using System.Text.Json;
using Berth.Linux;

namespace Berth.Engine.Monitor;

/// <summary>
/// The container's run state, written by its monitor to <c>DIR/monitor-state.json</c> on each
/// change (temp file, fsync, rename: a reader sees the old or the new record, never a torn one).
/// The monitor's pid and start time name the monitor for good, so <see cref="MonitorProbe"/> can
/// tell a live monitor from a dead one even after its pid was reused.
/// </summary>
public sealed record MonitorState
{
    public int MonitorPid { get; init; }

    /// <summary>The monitor's start time in clock ticks since boot (/proc/PID/stat field 22).</summary>
    public ulong MonitorStartTime { get; init; }

    /// <summary>The container's init as the host sees it; 0 when not running.</summary>
    public int Pid { get; init; }

    public MonitorStatus Status { get; init; }

    public DateTimeOffset? StartedAt { get; init; }

    public DateTimeOffset? FinishedAt { get; init; }

    /// <summary>The last exit code (128 + signal when killed by one, as docker reports it).</summary>
    public int ExitCode { get; init; }

    /// <summary>True when the container's memory cgroup recorded an OOM kill during its last run.</summary>
    public bool OOMKilled { get; init; }

    public int RestartCount { get; init; }

    /// <summary>Why the container could not be started or restarted, else null.</summary>
    public string? Error { get; init; }

    /// <summary>Reads the state of the container in <paramref name="dir"/>; false when there is none (yet) or it is unreadable.</summary>
    public static bool TryRead(string dir, out MonitorState state)
    {
        state = new MonitorState();
        try
        {
            var bytes = File.ReadAllBytes(MonitorPaths.State(dir));
            if (JsonSerializer.Deserialize(bytes, MonitorJsonContext.Default.MonitorState) is not { } read)
                return false;
            state = read;
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException)
        {
            return false;
        }
    }

    /// <summary>True when the monitor recorded here is still the process with that pid and start time.</summary>
    public bool IsMonitorAlive() => ProcFs.IsAlive(MonitorPid, MonitorStartTime);

    /// <summary>Writes the state atomically (the monitor's side).</summary>
    internal void Write(string dir) =>
        AtomicFile.Write(MonitorPaths.State(dir), JsonSerializer.SerializeToUtf8Bytes(this, MonitorJsonContext.Default.MonitorState), durable: false);
}
