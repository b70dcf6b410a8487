using System.Runtime.InteropServices;
using Berth.Errdefs;
using Berth.Linux.Interop;
using Berth.Oci.Runtime;
using static Berth.Seccomp.Tests.Support.Profiles;

namespace Berth.Seccomp.Tests;

/// <summary>
/// Filters loaded into the real kernel. Each one goes on a dedicated thread that ends right
/// after: seccomp without TSYNC binds the calling thread only, so the filter dies with it.
/// </summary>
public sealed class SeccompLoaderTests
{
    private const int PR_SET_NO_NEW_PRIVS = 38;
    private const int EADDRNOTAVAIL = 99;

    private static readonly long GetPpid = SyscallTable.Resolve(SyscallTable.Native, "getppid")!.Value;

    [Fact]
    public void AFilterActsOnItsThreadOnly()
    {
        var program = SeccompCompiler.Compile(new LinuxSeccomp
        {
            DefaultAction = "SCMP_ACT_ALLOW",
            Syscalls = [Rule("SCMP_ACT_ERRNO", "getppid") with { ErrnoRet = EADDRNOTAVAIL }],
        });
        var (listener, result, errno) = (0, 0L, 0);

        OnOwnThread(() =>
        {
            listener = SeccompLoader.Load(program);
            result = Libc.syscall(GetPpid, 0, 0, 0, 0, 0, 0);
            errno = Marshal.GetLastPInvokeError();
        });

        Assert.Equal(-1, listener);
        Assert.Equal(-1, result);
        Assert.Equal(EADDRNOTAVAIL, errno);
        Assert.True(Libc.syscall(GetPpid, 0, 0, 0, 0, 0, 0) >= 0);
    }

    [Fact]
    public void ArgumentTestsRunInTheKernel()
    {
        // getppid ignores its arguments, so they can be anything the filter tests.
        var program = SeccompCompiler.Compile(new LinuxSeccomp
        {
            DefaultAction = "SCMP_ACT_ALLOW",
            Syscalls =
            [
                Rule("SCMP_ACT_ERRNO", "getppid") with { ErrnoRet = 11, Args = [Arg(0, "SCMP_CMP_GT", 0xffff_ffff), Arg(1, "SCMP_CMP_MASKED_EQ", 0xf0, 0x30)] },
            ],
        });
        var results = new List<(long, int)>();

        OnOwnThread(() =>
        {
            SeccompLoader.Load(program);
            foreach (var (a0, a1) in new (long, long)[] { (0x1_0000_0000, 0x35), (0xffff_ffff, 0x35), (0x1_0000_0000, 0x45), (-1, 0x3f) })
            {
                var r = Libc.syscall(GetPpid, a0, a1, 0, 0, 0, 0);
                results.Add((r, r < 0 ? Marshal.GetLastPInvokeError() : 0));
            }
        });

        Assert.Equal((-1L, 11), results[0]);
        Assert.True(results[1].Item1 >= 0);
        Assert.True(results[2].Item1 >= 0);
        Assert.Equal((-1L, 11), results[3]);
    }

    [Fact]
    public void NotifyReturnsAListenerFd()
    {
        var program = SeccompCompiler.Compile(new LinuxSeccomp
        {
            DefaultAction = "SCMP_ACT_ALLOW",
            Syscalls = [Rule("SCMP_ACT_NOTIFY", "getppid")],
        });
        var listener = -1;
        var fdFlags = -1;

        OnOwnThread(() =>
        {
            listener = SeccompLoader.Load(program);
            fdFlags = Libc.fcntl(listener, Libc.F_GETFD, 0);
        });

        try
        {
            Assert.True(listener >= 0);
            Assert.True(fdFlags >= 0);
        }
        finally
        {
            Libc.close(listener);
        }
    }

    [Fact]
    public void TheKernelsRefusalBecomesABerthException()
    {
        // A jump past the end: the kernel's checker refuses it before anything is installed.
        var bad = new SeccompProgram([new SockFilter(0x15, 5, 0, 0), new SockFilter(0x06, 0, 0, 0x7fff0000)], 0);
        BerthException? error = null;

        OnOwnThread(() => error = Assert.Throws<BerthException>(() => SeccompLoader.Load(bad)));

        Assert.Equal(ErrorKind.InvalidArgument, error!.Kind);
        Assert.Equal(22, error.Errno);
        Assert.StartsWith("load seccomp filter: ", error.Message);
    }

    private static void OnOwnThread(Action action)
    {
        Exception? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                if (Libc.prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0)
                {
                    throw new InvalidOperationException($"prctl(PR_SET_NO_NEW_PRIVS): errno {Marshal.GetLastPInvokeError()}");
                }

                action();
            }
            catch (Exception e)
            {
                failure = e;
            }
        });
        thread.Start();
        thread.Join();
        if (failure is not null)
        {
            throw new Xunit.Sdk.XunitException("on the filtered thread: " + failure);
        }
    }
}
