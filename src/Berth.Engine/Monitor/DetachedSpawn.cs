using Berth.Linux;

namespace Berth.Engine.Monitor;

/// <summary>
/// Starts the monitor with SIGCHLD, SIGTERM, SIGINT and SIGHUP blocked, so that every thread the
/// .NET runtime creates in it inherits the block and the signals wait for its signalfd instead of
/// being taken (and lost, or fatal) by another thread.
/// </summary>
internal static class DetachedSpawn
{
    /// <summary>The signals the monitor reads from its signalfd.</summary>
    public static ulong MonitorSignals => Bit(Signals.SIGCHLD) | Bit(Signals.SIGTERM) | Bit(Signals.SIGINT) | Bit(Signals.SIGHUP);

    public static ulong Bit(int signal) => 1UL << (signal - 1);

    /// <summary>Starts <paramref name="path"/>; the child gets <paramref name="fdMap"/> (from, to) and the signal mask <paramref name="blocked"/>.</summary>
    public static int Spawn(string path, IReadOnlyList<string> args, IReadOnlyList<(int From, int To)> fdMap, bool newSession, ulong blocked)
    {
        var env = new List<string>();
        foreach (System.Collections.DictionaryEntry e in Environment.GetEnvironmentVariables())
            env.Add($"{e.Key}={e.Value}");
        return Spawner.Spawn(new SpawnRequest(path, args, env) { FdMap = fdMap, NewSession = newSession, BlockedSignals = blocked });
    }
}
