using System.Runtime.InteropServices;
using Berth.Linux.Interop;

namespace Berth.Linux;

/// <summary>waitpid(2) on the caller's own children, with exit statuses in the shell's convention.</summary>
public static class Children
{
    private const int WNOHANG = 1;

    /// <summary>Waits for the child to end; returns its exit code, or 128 + the signal that killed it.</summary>
    public static unsafe int Wait(int pid)
    {
        int status;
        while (Libc.waitpid(pid, &status, 0) < 0)
        {
            if (Marshal.GetLastPInvokeError() != Errno.EINTR)
                throw Errno.Last($"wait for process {pid}");
        }
        return Decode(status);
    }

    /// <summary>Returns the exit code if the child has ended, else null; does not block.</summary>
    public static unsafe int? TryWait(int pid)
    {
        int status;
        var rc = Libc.waitpid(pid, &status, WNOHANG);
        if (rc < 0)
            throw Errno.Last($"wait for process {pid}");
        return rc == 0 ? null : Decode(status);
    }

    /// <summary>Waits up to <paramref name="timeout"/>; returns null if the child is still running then.</summary>
    public static int? Wait(int pid, TimeSpan timeout)
    {
        var deadline = Environment.TickCount64 + (long)timeout.TotalMilliseconds;
        var delay = 1;
        while (true)
        {
            if (TryWait(pid) is { } code)
                return code;
            if (Environment.TickCount64 >= deadline)
                return null;
            Thread.Sleep(delay);
            delay = Math.Min(delay * 2, 50);
        }
    }

    public static int Decode(int status)
    {
        var signal = status & 0x7f;
        return signal == 0 ? (status >> 8) & 0xff : 128 + signal;
    }

    public static void Kill(int pid, int signal)
    {
        if (Libc.kill(pid, signal) != 0)
            throw Errno.Last($"signal process {pid}");
    }
}
