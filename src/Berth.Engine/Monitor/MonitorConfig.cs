namespace Berth.Engine.Monitor;

/// <summary>
/// Everything a container's monitor needs, written by <see cref="MonitorLauncher"/> to
/// <c>DIR/monitor.json</c> (<see cref="MonitorPaths.Config"/>) and read once by
/// <c>berth-monitor DIR</c> at start. The monitor creates the container from
/// <see cref="BundlePath"/> with the runtime at <see cref="RuntimePath"/>, keeps its stdio,
/// writes its output to <see cref="LogPath"/>, applies <see cref="RestartPolicy"/>, and after the
/// final exit runs <see cref="ExitCommand"/>.
/// </summary>
public sealed record MonitorConfig
{
    /// <summary>The container id, as the runtime knows it.</summary>
    public required string Id { get; init; }

    /// <summary>The OCI bundle: config.json, and the rootfs it names, already in place.</summary>
    public required string BundlePath { get; init; }

    /// <summary>The runc-compatible runtime (berth-runtime, runc, crun); a bare name is looked up in PATH by the launcher.</summary>
    public required string RuntimePath { get; init; }

    /// <summary>The runtime's <c>--root</c>, or null for its default.</summary>
    public string? RuntimeRoot { get; init; }

    /// <summary>More global options put before the verb (e.g. <c>--systemd-cgroup</c>).</summary>
    public IReadOnlyList<string> RuntimeArgs { get; init; } = [];

    /// <summary>Give the container a pty (the runtime sends its master over a console socket).</summary>
    public bool Tty { get; init; }

    /// <summary>Keep the container's stdin open for attached clients (docker's -i).</summary>
    public bool OpenStdin { get; init; }

    /// <summary>Close the container's stdin when an attached client ends its stdin (docker run -i without -d).</summary>
    public bool StdinOnce { get; init; }

    /// <summary>The docker json-file log, or null for no log.</summary>
    public string? LogPath { get; init; }

    /// <summary>Rotate the log when it would grow past this many bytes; 0 never rotates.</summary>
    public long LogMaxSize { get; init; } = 20 * 1024 * 1024;

    /// <summary>How many files a rotated log keeps: LOG, LOG.1 … LOG.(N-1).</summary>
    public int LogMaxFiles { get; init; } = 5;

    public RestartPolicy RestartPolicy { get; init; } = new();

    /// <summary>Run after the container's final exit (e.g. <c>berth --root R container cleanup ID</c> for --rm); empty for none.</summary>
    public IReadOnlyList<string> ExitCommand { get; init; } = [];

    /// <summary>The signal the monitor sends the container when it is itself asked to stop (SIGTERM); a name or number.</summary>
    public string StopSignal { get; init; } = "SIGTERM";
}
