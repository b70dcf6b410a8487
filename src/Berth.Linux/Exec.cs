using System.Runtime.InteropServices;
using Berth.Linux.Interop;

namespace Berth.Linux;

/// <summary>execve(2) of the calling process, after restoring what a fresh process expects.</summary>
public static class Exec
{
    private const int SIG_SETMASK = 2;
    private const int CLOSE_RANGE_CLOEXEC = 4;

    /// <summary>Marks every descriptor from <paramref name="first"/> up close-on-exec.</summary>
    public static void MarkCloseOnExec(int first)
    {
        if (Libc.syscall(Sys.CloseRange, first, uint.MaxValue, CLOSE_RANGE_CLOEXEC, 0, 0, 0) != 0)
            throw Errno.Last("mark descriptors close-on-exec");
    }

    /// <summary>
    /// Marks every descriptor from <paramref name="firstToClose"/> up close-on-exec (null: the
    /// caller already did, e.g. before a seccomp filter that denies close_range), unblocks all
    /// signals, resets ignored signals (.NET ignores SIGPIPE) and replaces the process image.
    /// Returns only by throwing.
    /// </summary>
    public static unsafe void Replace(string path, IReadOnlyList<string> args, IReadOnlyList<string> env, int? firstToClose)
    {
        if (firstToClose is { } first)
            MarkCloseOnExec(first);
        var empty = stackalloc ulong[16];
        new Span<ulong>(empty, 16).Clear();
        Libc.sigprocmask(SIG_SETMASK, empty, null);
        for (var sig = 1; sig < 32; sig++)
        {
            if (sig != Signals.SIGKILL && sig != Signals.SIGSTOP)
                Libc.signal(sig, 0);
        }
        var owned = new List<nint>();
        try
        {
            var p = Spawner.Utf8(path, owned);
            var argv = Spawner.Vector(args, owned);
            var envp = Spawner.Vector(env, owned);
            Libc.execve(p, argv, envp);
            throw Errno.Last($"exec `{path}`");
        }
        finally
        {
            foreach (var x in owned)
                Marshal.FreeHGlobal(x);
        }
    }
}
