using Berth.Errdefs;
using Berth.Oci.Runtime;
using Berth.Seccomp.Tests.Support;
using static Berth.Seccomp.Tests.Support.Profiles;

namespace Berth.Seccomp.Tests;

public sealed class ArchitectureTests
{
    private static readonly LinuxSeccomp DockerLike = new()
    {
        DefaultAction = "SCMP_ACT_ERRNO",
        DefaultErrnoRet = 38,
        Architectures = ["SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32"],
        Syscalls =
        [
            Rule("SCMP_ACT_ALLOW", "read", "_llseek", "socketcall", "arch_prctl", "rt_sigaction"),
            Rule("SCMP_ACT_ERRNO", "kexec_load") with { ErrnoRet = 1 },
        ],
    };

    [Theory]
    [InlineData(SeccompArch.X86_64)]
    [InlineData(SeccompArch.X86)]
    [InlineData(SeccompArch.X32)]
    public void EachListedArchitectureUsesItsOwnNumbers(SeccompArch arch)
    {
        var program = Compile(DockerLike);

        Assert.Equal(Ret.Allow, program.Call(arch, "read"));
        Assert.Equal(Ret.Allow, program.Call(arch, "rt_sigaction"));
        Assert.Equal(Ret.Errno(1), program.Call(arch, "kexec_load"));
        Assert.Equal(Ret.Errno(38), program.Call(arch, "write"));
    }

    [Fact]
    public void NamesMissingOnAnArchitectureApplyWhereTheyExist()
    {
        var program = Compile(DockerLike);

        Assert.Equal(Ret.Allow, program.Call(SeccompArch.X86, "_llseek"));
        Assert.Equal(Ret.Allow, program.Call(SeccompArch.X86, "socketcall"));
        Assert.Equal(Ret.Allow, program.Call(SeccompArch.X86_64, "arch_prctl"));
        // x86_64 has no _llseek: its number there (140 on i386) is getpriority's.
        Assert.Equal(Ret.Errno(38), BpfInterpreter.Run(program.Instructions, new SeccompData(140, Ret.AuditX86_64)));
        Assert.Equal(Ret.Allow, BpfInterpreter.Run(program.Instructions, new SeccompData(140, Ret.AuditI386)));
    }

    [Fact]
    public void UnlistedArchitecturesAreKilled()
    {
        var program = Compile(DockerLike);

        Assert.Equal(Ret.KillThread, program.Call(SeccompArch.Aarch64, "read"));
        Assert.Equal(Ret.KillThread, program.Call(SeccompArch.Arm, "read"));
        Assert.Equal(Ret.KillThread, BpfInterpreter.Run(program.Instructions, new SeccompData(0, 0x12345678)));
    }

    [Fact]
    public void EmptyListMeansTheNativeArchitectureOnly()
    {
        var profile = DockerLike with { Architectures = null };
        var onX86_64 = Compile(profile);
        var onAarch64 = SeccompCompiler.Compile(profile, new SeccompCompileOptions { NativeArch = SeccompArch.Aarch64 });

        Assert.Equal(Ret.Allow, onX86_64.Call(SeccompArch.X86_64, "read"));
        Assert.Equal(Ret.KillThread, onX86_64.Call(SeccompArch.X86, "read"));
        Assert.Equal(Ret.KillThread, onX86_64.Call(SeccompArch.X32, "read"));
        Assert.Equal(Ret.Allow, onAarch64.Call(SeccompArch.Aarch64, "read"));
        Assert.Equal(Ret.Errno(1), onAarch64.Call(SeccompArch.Aarch64, "kexec_load"));
        Assert.Equal(Ret.KillThread, onAarch64.Call(SeccompArch.X86_64, "read"));
    }

    [Fact]
    public void TheNativeArchitectureIsAlwaysCovered()
    {
        // libseccomp starts every filter with the native architecture; runc adds the listed ones.
        var program = Compile(DockerLike with { Architectures = ["SCMP_ARCH_X86"] });

        Assert.Equal(Ret.Allow, program.Call(SeccompArch.X86_64, "read"));
        Assert.Equal(Ret.Allow, program.Call(SeccompArch.X86, "read"));
    }

    [Fact]
    public void X32CallsNeedX32Listed()
    {
        var withoutX32 = Compile(DockerLike with { Architectures = ["SCMP_ARCH_X86_64"] });
        var x32Only = SeccompCompiler.Compile(DockerLike with { Architectures = ["SCMP_ARCH_X32"] },
            new SeccompCompileOptions { NativeArch = SeccompArch.X86 });

        Assert.Equal(Ret.KillThread, withoutX32.Call(SeccompArch.X32, "read"));
        Assert.Equal(Ret.Allow, withoutX32.Call(SeccompArch.X86_64, "read"));
        Assert.Equal(Ret.Allow, x32Only.Call(SeccompArch.X32, "read"));
        Assert.Equal(Ret.KillThread, x32Only.Call(SeccompArch.X86_64, "read"));
        Assert.Equal(Ret.Allow, x32Only.Call(SeccompArch.X86, "read"));
    }

    [Fact]
    public void SyscallMinusOneOnX86_64GetsTheDefault()
    {
        var program = Compile(DockerLike);

        Assert.Equal(Ret.Errno(38), BpfInterpreter.Run(program.Instructions, new SeccompData(uint.MaxValue, Ret.AuditX86_64)));
    }

    [Fact]
    public void ArmAndAarch64Together()
    {
        var program = SeccompCompiler.Compile(DockerLike with { Architectures = ["SCMP_ARCH_AARCH64", "SCMP_ARCH_ARM"] },
            new SeccompCompileOptions { NativeArch = SeccompArch.Aarch64 });

        Assert.Equal(Ret.Allow, program.Call(SeccompArch.Aarch64, "read"));
        Assert.Equal(Ret.Allow, program.Call(SeccompArch.Arm, "read"));
        Assert.Equal(Ret.Allow, program.Call(SeccompArch.Arm, "_llseek"));
        Assert.Equal(Ret.KillThread, program.Call(SeccompArch.X86_64, "read"));
    }

    [Fact]
    public void UnknownArchitectureIsRejectedByName()
    {
        var e = Assert.Throws<BerthException>(() => Compile(DockerLike with { Architectures = ["SCMP_ARCH_PDP11"] }));

        Assert.Equal(ErrorKind.InvalidArgument, e.Kind);
        Assert.Equal("parse seccomp architecture `SCMP_ARCH_PDP11`: unknown architecture", e.Message);
    }

    [Fact]
    public void KnownButUnsupportedArchitectureSaysSo()
    {
        var e = Assert.Throws<BerthException>(() => Compile(DockerLike with { Architectures = ["SCMP_ARCH_S390X"] }));

        Assert.Equal(ErrorKind.NotImplemented, e.Kind);
        Assert.Contains("`SCMP_ARCH_S390X`", e.Message);
    }
}
