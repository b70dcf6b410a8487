namespace Berth.Engine.Monitor;

/// <summary>The files of a container directory that the monitor and the engine share.</summary>
public static class MonitorPaths
{
    /// <summary><c>monitor.json</c>: the <see cref="MonitorConfig"/>.</summary>
    public static string Config(string dir) => Path.Combine(dir, "monitor.json");

    /// <summary><c>monitor-state.json</c>: the <see cref="MonitorState"/>, replaced atomically.</summary>
    public static string State(string dir) => Path.Combine(dir, "monitor-state.json");

    /// <summary><c>attach</c>: the monitor's SOCK_SEQPACKET listener.</summary>
    public static string AttachSocket(string dir) => Path.Combine(dir, "attach");

    /// <summary><c>stop-requested</c>: present when the engine stopped the container (no restart).</summary>
    public static string StopRequested(string dir) => Path.Combine(dir, "stop-requested");

    /// <summary><c>container.pid</c>: the runtime's --pid-file.</summary>
    public static string PidFile(string dir) => Path.Combine(dir, "container.pid");

    /// <summary><c>console.sock</c>: the --console-socket listener, present only while creating a tty container.</summary>
    public static string ConsoleSocket(string dir) => Path.Combine(dir, "console.sock");
}
