using System.Runtime.InteropServices;
using System.Text;
using Berth.Linux.Interop;

namespace Berth.Linux;

/// <summary>
/// Starts a program with posix_spawn(3), which is safe from a multithreaded process (no managed
/// code runs in the child between its fork and its exec). The child inherits every descriptor
/// not marked close-on-exec, plus <see cref="SpawnRequest.FdMap"/> duplicated onto fixed numbers.
/// </summary>
public static class Spawner
{
    public static unsafe int Spawn(SpawnRequest request)
    {
        var fileActions = stackalloc byte[Libc.SpawnStructBytes];
        var attr = stackalloc byte[Libc.SpawnStructBytes];
        Libc.posix_spawn_file_actions_init(fileActions);
        Libc.posix_spawnattr_init(attr);
        var strings = new List<nint>();
        try
        {
            foreach (var (from, to) in request.FdMap)
                Check(Libc.posix_spawn_file_actions_adddup2(fileActions, from, to), "add dup2");
            // sigset_t is 128 bytes in glibc although the kernel reads the first 8.
            var empty = stackalloc ulong[16];
            var all = stackalloc ulong[16];
            for (var i = 0; i < 16; i++)
                (empty[i], all[i]) = (0, ~0UL);
            // Blocked signals stay blocked in the child and keep their disposition; every other
            // one goes back to its default (.NET ignores SIGPIPE, which a child must not inherit).
            empty[0] = request.BlockedSignals;
            all[0] = ~request.BlockedSignals & ~(1UL << (Signals.SIGKILL - 1)) & ~(1UL << (Signals.SIGSTOP - 1));
            short flags = Libc.POSIX_SPAWN_SETSIGMASK | Libc.POSIX_SPAWN_SETSIGDEF;
            if (request.NewSession)
                flags |= Libc.POSIX_SPAWN_SETSID;
            Check(Libc.posix_spawnattr_setsigmask(attr, empty), "set signal mask");
            Check(Libc.posix_spawnattr_setsigdefault(attr, all), "set signal defaults");
            Check(Libc.posix_spawnattr_setflags(attr, flags), "set flags");
            var path = Utf8(request.Path, strings);
            var argv = Vector(request.Args, strings);
            var envp = Vector(request.Env, strings);
            int pid;
            var rc = Libc.posix_spawn(&pid, path, fileActions, attr, argv, envp);
            if (rc != 0)
                throw Errno.Exception($"spawn `{request.Path}`", rc);
            return pid;
        }
        finally
        {
            Libc.posix_spawn_file_actions_destroy(fileActions);
            Libc.posix_spawnattr_destroy(attr);
            foreach (var p in strings)
                Marshal.FreeHGlobal(p);
        }
    }

    private static void Check(int rc, string what)
    {
        if (rc != 0)
            throw Errno.Exception($"posix_spawn: {what}", rc);
    }

    internal static unsafe byte* Utf8(string s, List<nint> owned)
    {
        var bytes = Encoding.UTF8.GetByteCount(s);
        var p = (byte*)Marshal.AllocHGlobal(bytes + 1);
        owned.Add((nint)p);
        Encoding.UTF8.GetBytes(s, new Span<byte>(p, bytes));
        p[bytes] = 0;
        return p;
    }

    internal static unsafe byte** Vector(IReadOnlyList<string> items, List<nint> owned)
    {
        var v = (byte**)Marshal.AllocHGlobal((items.Count + 1) * sizeof(nint));
        owned.Add((nint)v);
        for (var i = 0; i < items.Count; i++)
            v[i] = Utf8(items[i], owned);
        v[items.Count] = null;
        return v;
    }
}

/// <summary>What to start: program, argv (argv[0] included), environment and descriptor map.</summary>
public sealed record SpawnRequest(string Path, IReadOnlyList<string> Args, IReadOnlyList<string> Env)
{
    /// <summary>Pairs (from, to): the child gets descriptor <c>from</c> as number <c>to</c>.</summary>
    public IReadOnlyList<(int From, int To)> FdMap { get; init; } = [];

    public bool NewSession { get; init; }

    /// <summary>Signals (bit <c>signal - 1</c>) blocked in the child, e.g. for a signalfd it reads; none by default.</summary>
    public ulong BlockedSignals { get; init; }
}
