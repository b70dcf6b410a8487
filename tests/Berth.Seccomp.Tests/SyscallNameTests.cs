using Berth.Errdefs;
using Berth.Oci.Runtime;
using Berth.Seccomp.Tests.Support;
using static Berth.Seccomp.Tests.Support.Profiles;

namespace Berth.Seccomp.Tests;

public sealed class SyscallNameTests
{
    private static readonly LinuxSeccomp WithTypo = new()
    {
        DefaultAction = "SCMP_ACT_ALLOW",
        Syscalls = [Rule("SCMP_ACT_ERRNO", "kexec_lod", "kexec_load", "s390_runtime_instr", "arch_prctl")],
    };

    [Fact]
    public void NamesNoArchitectureHasAreSkippedAndReportedLikeRunc()
    {
        var program = SeccompCompiler.Compile(WithTypo, new SeccompCompileOptions { NativeArch = SeccompArch.Aarch64 });

        Assert.Equal(["kexec_lod"], program.UnknownSyscalls);
        Assert.Equal(Ret.Errno(1), program.Call(SeccompArch.Aarch64, "kexec_load"));
    }

    [Fact]
    public void StrictModeRejectsThemByName()
    {
        var e = Assert.Throws<BerthException>(() =>
            SeccompCompiler.Compile(WithTypo, OnX86_64 with { FailOnUnknownSyscall = true }));

        Assert.Equal(ErrorKind.InvalidArgument, e.Kind);
        Assert.Equal("resolve seccomp syscall `kexec_lod`: unknown system call", e.Message);
    }

    [Fact]
    public void NamesOnlyOtherArchitecturesHaveAreNotErrors()
    {
        // arch_prctl is x86 only, s390_runtime_instr s390 only: not typos, just not here.
        var program = SeccompCompiler.Compile(WithTypo with { Syscalls = [Rule("SCMP_ACT_ERRNO", "s390_runtime_instr", "arch_prctl")] },
            new SeccompCompileOptions { NativeArch = SeccompArch.Aarch64, FailOnUnknownSyscall = true });

        Assert.Empty(program.UnknownSyscalls);
    }

    [Fact]
    public void EmptyNameIsRejected()
    {
        var e = Assert.Throws<BerthException>(() => Compile(WithTypo with { Syscalls = [Rule("SCMP_ACT_ERRNO", "")] }));

        Assert.Equal(ErrorKind.InvalidArgument, e.Kind);
    }

    [Fact]
    public void CallsNewerThanTheProfileGetEnosysLikeRunc()
    {
        var profile = new LinuxSeccomp
        {
            DefaultAction = "SCMP_ACT_ERRNO",
            Syscalls = [Rule("SCMP_ACT_ALLOW", "read", "write", "openat2")],
        };
        var program = Compile(profile);

        Assert.Equal(Ret.Allow, program.Call("openat2"));
        Assert.Equal(Ret.Errno(1), program.Call("getpid"));
        Assert.Equal(Ret.Errno(1), program.Call("close_range"));          // 436, below openat2 (437)
        Assert.Equal(Ret.Errno(38), program.Call("futex_waitv"));         // 449, newer
        Assert.Equal(Ret.Errno(38), program.Call(SeccompArch.X86_64, "mseal"));

        // An explicit EPERM still gets it (runc only skips an explicit ENOSYS); permissive defaults do not.
        Assert.Equal(Ret.Errno(38), Compile(profile with { DefaultErrnoRet = 1 }).Call("futex_waitv"));
        Assert.Equal(Ret.Log, Compile(profile with { DefaultAction = "SCMP_ACT_LOG" }).Call("futex_waitv"));
    }
}
