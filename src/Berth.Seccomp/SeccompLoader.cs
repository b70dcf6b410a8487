using System.Runtime.InteropServices;
using Berth.Errdefs;
using Berth.Linux;
using Berth.Linux.Interop;

namespace Berth.Seccomp;

/// <summary>
/// Installs a compiled filter on the calling thread (and, with SECCOMP_FILTER_FLAG_TSYNC, on
/// every thread of the process). The caller must already have set no_new_privs or hold
/// CAP_SYS_ADMIN, and should do this last before exec: the filter applies to everything after.
/// </summary>
public static class SeccompLoader
{
    private const int SECCOMP_SET_MODE_FILTER = 1;
    private const int PR_SET_SECCOMP = 22;
    private const int SECCOMP_MODE_FILTER = 2;

    /// <summary>
    /// seccomp(SECCOMP_SET_MODE_FILTER, flags, &amp;prog), or prctl(PR_SET_SECCOMP) on kernels
    /// without seccomp(2) when no flags are needed. Returns the notification listener fd when
    /// <see cref="SeccompProgram.NeedsListener"/>, else -1.
    /// </summary>
    public static unsafe int Load(SeccompProgram program)
    {
        ArgumentNullException.ThrowIfNull(program);
        var count = program.Instructions.Count;
        if (count is 0 or > ushort.MaxValue)
        {
            throw BerthException.InvalidArgument($"load seccomp filter: {count} instructions");
        }

        var flags = program.Flags | (program.NeedsListener ? SeccompFlags.NewListener : 0);
        var filter = (ulong*)NativeMemory.Alloc((nuint)count, sizeof(ulong));
        try
        {
            for (var i = 0; i < count; i++)
            {
                var insn = program.Instructions[i];
                // struct sock_filter { __u16 code; __u8 jt; __u8 jf; __u32 k; }, little-endian.
                filter[i] = insn.Code | ((ulong)insn.Jt << 16) | ((ulong)insn.Jf << 24) | ((ulong)insn.K << 32);
            }

            var prog = new SockFprog { Len = (ushort)count, Filter = (nint)filter };
            var result = Libc.syscall(Sys.Seccomp, SECCOMP_SET_MODE_FILTER, flags, (long)&prog, 0, 0, 0);
            if (result < 0)
            {
                if (Marshal.GetLastPInvokeError() != Errno.ENOSYS || flags != 0)
                {
                    throw Errno.Last("load seccomp filter");
                }

                Errno.Check(Libc.prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, (ulong)&prog, 0, 0), "load seccomp filter");
                return -1;
            }

            if (program.NeedsListener)
            {
                return (int)result;
            }

            if (result > 0 && (flags & SeccompFlags.Tsync) != 0)
            {
                // TSYNC without TSYNC_ESRCH: the id of a thread that could not take the filter.
                throw BerthException.FailedPrecondition(
                    $"load seccomp filter: thread {result} could not be synchronized");
            }

            return -1;
        }
        finally
        {
            NativeMemory.Free(filter);
        }
    }

    /// <summary>struct sock_fprog from linux/filter.h.</summary>
    [StructLayout(LayoutKind.Sequential)]
    private struct SockFprog
    {
        public ushort Len;
        public nint Filter;
    }
}
