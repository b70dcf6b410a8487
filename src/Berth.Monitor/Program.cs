using Berth.Engine.Monitor;
using Berth.Linux.Interop;

namespace Berth.Monitor;

/// <summary>
/// berth-monitor DIR: started by <see cref="MonitorLauncher"/> in a session of its own, with the
/// sync pipe on fd 3 and, with <c>--attach-fd-4</c>, a first attach client on fd 4. It runs the container's
/// supervisor until the container has exited for good.
/// </summary>
internal static class Program
{
    /// <summary>The flag the launcher adds when fd 4 is a first attach client.</summary>
    public const string AttachFlag = "--attach-fd-4";

    private static int Main(string[] args)
    {
        if (args is not ([_] or [_, AttachFlag]))
            return 2;
        // Hold no directory busy (a container's dir is removed while we may still run).
        Libc.chdir("/");
        return new Supervisor(args[0], hasFirstClient: args.Length == 2).Run();
    }
}
