using Berth.Engine.Monitor;
using Berth.Linux.Interop;

namespace Berth.Monitor;

/// <summary>
/// berth-monitor DIR: started by <see cref="MonitorLauncher"/> with the sync pipe on fd 3 and,
/// optionally, a first attach client on fd 4. This first process only starts the real monitor
/// (<c>DIR --detached</c>) and exits, so the monitor belongs to nobody who has to reap it.
/// </summary>
internal static class Program
{
    private const string Detached = "--detached";

    private static int Main(string[] args)
    {
        if (args.Length == 1)
            return StartDetached(args[0]);
        if (args.Length == 2 && args[1] == Detached)
            return new Supervisor(args[0]).Run();
        return 2;
    }

    private static int StartDetached(string dir)
    {
        Libc.chdir("/");
        var self = Environment.ProcessPath ?? "/proc/self/exe";
        var map = new List<(int, int)> { (0, 0), (1, 1), (2, 2), (3, 3) };
        if (Libc.fcntl(4, Libc.F_GETFD, 0) >= 0)
            map.Add((4, 4));
        try
        {
            DetachedSpawn.Spawn(self, [self, dir, Detached], map, newSession: false, DetachedSpawn.MonitorSignals);
            return 0;
        }
        catch (Berth.Errdefs.BerthException)
        {
            return 1;
        }
    }
}
