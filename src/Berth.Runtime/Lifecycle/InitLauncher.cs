using Berth.Errdefs;
using Berth.Linux;
using Berth.Linux.Interop;
using Berth.Runtime.Init;

namespace Berth.Runtime.Lifecycle;

/// <summary>
/// Starts `berth-runtime init` in the right pid namespace. A new pid namespace (or joining one)
/// only affects the children of the thread that asks, so a dedicated thread unshares or setns
/// and spawns; the thread then ends. The init's other namespaces are made by the init itself.
/// </summary>
internal static class InitLauncher
{
    private const int F_DUPFD_CLOEXEC = 1030;

    /// <summary>What the init gets: its sync socket and extra descriptors, numbered after the preserved ones.</summary>
    public sealed record Launch(string InitPath, int PreserveFds, int SyncFd, int StateDirFd, int ConsoleFd)
    {
        public PidNamespace PidNamespace { get; init; } = PidNamespace.Host;
        public string? PidNamespacePath { get; init; }
    }

    public enum PidNamespace
    {
        Host,
        New,
        Join,
    }

    /// <summary>Spawns the init; returns its pid and the descriptor numbers it sees.</summary>
    public static (int Pid, int StateDirFd, int ConsoleFd) Spawn(Launch launch)
    {
        var first = 3 + launch.PreserveFds;
        var map = new List<(int, int)>();
        for (var fd = 3; fd < first; fd++)
            map.Add((fd, fd));
        var owned = new List<int>();
        try
        {
            // Move every source above the targets first, so no dup2 overwrites a later source.
            // Stay low: growing the descriptor table of a threaded process waits for an RCU
            // grace period (milliseconds).
            int Lift(int fd)
            {
                var lifted = Libc.fcntl(fd, F_DUPFD_CLOEXEC, first + 3);
                if (lifted < 0)
                    throw Errno.Last("duplicate descriptor");
                owned.Add(lifted);
                return lifted;
            }
            map.Add((Lift(launch.SyncFd), first));
            var stateDir = -1;
            var console = -1;
            var next = first + 1;
            if (launch.StateDirFd >= 0)
            {
                stateDir = next++;
                map.Add((Lift(launch.StateDirFd), stateDir));
            }
            if (launch.ConsoleFd >= 0)
            {
                console = next++;
                map.Add((Lift(launch.ConsoleFd), console));
            }
            var request = new SpawnRequest(
                launch.InitPath,
                ["berth-runtime", "init"],
                InitEnvironment(first))
            {
                FdMap = map,
                NewSession = true,
            };
            Timing.Mark("spawn: prepared");
            var spawned = SpawnIn(launch, request);
            Timing.Mark("spawn: done");
            return (spawned, stateDir, console);
        }
        finally
        {
            foreach (var fd in owned)
                Libc.close(fd);
        }
    }

    private static string[] InitEnvironment(int syncFd)
    {
        string[] env = [$"{InitProcess.SyncFdVariable}={syncFd}", "DOTNET_gcServer=0", "DOTNET_GCHeapHardLimit=0x4000000"];
        return Timing.Variable is { } timing ? [.. env, timing] : env;
    }

    private static int SpawnIn(Launch launch, SpawnRequest request)
    {
        if (launch.PidNamespace == PidNamespace.Host)
            return Spawner.Spawn(request);
        var pid = 0;
        Exception? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                Timing.Mark("spawn: thread");
                if (launch.PidNamespace == PidNamespace.New)
                    Namespaces.Unshare(NamespaceFlags.CLONE_NEWPID);
                else
                    Namespaces.Join(launch.PidNamespacePath!, NamespaceFlags.CLONE_NEWPID);
                Timing.Mark("spawn: unshared");
                pid = Spawner.Spawn(request);
            }
            catch (Exception e)
            {
                failure = e;
            }
        }, 256 * 1024);
        thread.Start();
        thread.Join();
        if (failure is not null)
            throw failure is BerthException b ? b : BerthException.Internal(failure.Message, failure);
        return pid;
    }
}
