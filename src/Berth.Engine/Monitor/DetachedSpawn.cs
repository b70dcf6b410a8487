using System.Runtime.InteropServices;
using System.Text;
using Berth.Linux;
using Berth.Linux.Interop;

namespace Berth.Engine.Monitor;

/// <summary>
/// posix_spawn(3) with a chosen signal mask. The monitor is started with SIGCHLD and SIGTERM
/// blocked, so that every thread the .NET runtime creates in it inherits the block and the
/// signals wait for its signalfd instead of being taken (and lost, or fatal) by another thread.
/// </summary>
internal static unsafe class DetachedSpawn
{
    /// <summary>The signals the monitor reads from its signalfd.</summary>
    public static ulong MonitorSignals => Bit(Signals.SIGCHLD) | Bit(Signals.SIGTERM) | Bit(Signals.SIGINT) | Bit(Signals.SIGHUP);

    public static ulong Bit(int signal) => 1UL << (signal - 1);

    /// <summary>Starts <paramref name="path"/>; the child gets <paramref name="fdMap"/> (from, to) and the signal mask <paramref name="blocked"/>.</summary>
    public static int Spawn(string path, IReadOnlyList<string> args, IReadOnlyList<(int From, int To)> fdMap, bool newSession, ulong blocked)
    {
        var fileActions = stackalloc byte[Libc.SpawnStructBytes];
        var attr = stackalloc byte[Libc.SpawnStructBytes];
        Libc.posix_spawn_file_actions_init(fileActions);
        Libc.posix_spawnattr_init(attr);
        var owned = new List<nint>();
        try
        {
            foreach (var (from, to) in fdMap)
                Check(Libc.posix_spawn_file_actions_adddup2(fileActions, from, to), "add dup2");
            var mask = stackalloc ulong[16];
            var defaults = stackalloc ulong[16];
            for (var i = 0; i < 16; i++)
                (mask[i], defaults[i]) = (0, 0);
            mask[0] = blocked;
            // Reset what the parent may ignore (.NET ignores SIGPIPE), but not the blocked ones.
            defaults[0] = ~blocked & ~Bit(Signals.SIGKILL) & ~Bit(Signals.SIGSTOP);
            short flags = Libc.POSIX_SPAWN_SETSIGMASK | Libc.POSIX_SPAWN_SETSIGDEF;
            if (newSession)
                flags |= Libc.POSIX_SPAWN_SETSID;
            Check(Libc.posix_spawnattr_setsigmask(attr, mask), "set signal mask");
            Check(Libc.posix_spawnattr_setsigdefault(attr, defaults), "set signal defaults");
            Check(Libc.posix_spawnattr_setflags(attr, flags), "set flags");
            var env = new List<string>();
            foreach (System.Collections.DictionaryEntry e in Environment.GetEnvironmentVariables())
                env.Add($"{e.Key}={e.Value}");
            int pid;
            var rc = Libc.posix_spawn(&pid, Utf8(path, owned), fileActions, attr, Vector(args, owned), Vector(env, owned));
            if (rc != 0)
                throw Errno.Exception($"spawn `{path}`", rc);
            return pid;
        }
        finally
        {
            Libc.posix_spawn_file_actions_destroy(fileActions);
            Libc.posix_spawnattr_destroy(attr);
            foreach (var p in owned)
                Marshal.FreeHGlobal(p);
        }
    }

    private static void Check(int rc, string what)
    {
        if (rc != 0)
            throw Errno.Exception($"posix_spawn: {what}", rc);
    }

    private static byte* Utf8(string s, List<nint> owned)
    {
        var count = Encoding.UTF8.GetByteCount(s);
        var p = (byte*)Marshal.AllocHGlobal(count + 1);
        owned.Add((nint)p);
        Encoding.UTF8.GetBytes(s, new Span<byte>(p, count));
        p[count] = 0;
        return p;
    }

    private static byte** Vector(IReadOnlyList<string> items, List<nint> owned)
    {
        var v = (byte**)Marshal.AllocHGlobal((items.Count + 1) * sizeof(nint));
        owned.Add((nint)v);
        for (var i = 0; i < items.Count; i++)
            v[i] = Utf8(items[i], owned);
        v[items.Count] = null;
        return v;
    }
}
