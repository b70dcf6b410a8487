using Berth.Errdefs;
using Berth.Oci.Runtime;
using static Berth.Seccomp.Tests.Support.Profiles;

namespace Berth.Seccomp.Tests;

public sealed class FlagTests
{
    [Theory]
    [InlineData("SECCOMP_FILTER_FLAG_TSYNC", 1u)]
    [InlineData("SECCOMP_FILTER_FLAG_LOG", 2u)]
    [InlineData("SECCOMP_FILTER_FLAG_SPEC_ALLOW", 4u)]
    public void FlagsBecomeBits(string flag, uint bit)
    {
        var program = Compile(new LinuxSeccomp { DefaultAction = "SCMP_ACT_ALLOW", Flags = [flag] });

        Assert.Equal(bit, program.Flags);
    }

    [Fact]
    public void FlagsCombine()
    {
        var program = Compile(new LinuxSeccomp
        {
            DefaultAction = "SCMP_ACT_ALLOW",
            Flags = ["SECCOMP_FILTER_FLAG_LOG", "SECCOMP_FILTER_FLAG_SPEC_ALLOW"],
        });

        Assert.Equal(6u, program.Flags);
    }

    [Fact]
    public void WaitKillableRecvGoesWithAListener()
    {
        var program = Compile(new LinuxSeccomp
        {
            DefaultAction = "SCMP_ACT_ALLOW",
            Flags = ["SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV"],
            Syscalls = [Rule("SCMP_ACT_NOTIFY", "mount")],
        });
        Assert.Equal(SeccompFlags.WaitKillableRecv | SeccompFlags.NewListener, program.Flags);

        var e = Assert.Throws<BerthException>(() => Compile(new LinuxSeccomp
        {
            DefaultAction = "SCMP_ACT_ALLOW",
            Flags = ["SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV"],
        }));
        Assert.Contains("`SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV`", e.Message);
    }

    [Fact]
    public void TsyncWithAListenerAsksForEsrch()
    {
        var program = Compile(new LinuxSeccomp
        {
            DefaultAction = "SCMP_ACT_ALLOW",
            Flags = ["SECCOMP_FILTER_FLAG_TSYNC"],
            Syscalls = [Rule("SCMP_ACT_NOTIFY", "mount")],
        });

        Assert.Equal(SeccompFlags.Tsync | SeccompFlags.NewListener | SeccompFlags.TsyncEsrch, program.Flags);
    }

    [Fact]
    public void UnknownFlagIsRejectedByName()
    {
        var e = Assert.Throws<BerthException>(() => Compile(new LinuxSeccomp
        {
            DefaultAction = "SCMP_ACT_ALLOW",
            Flags = ["SECCOMP_FILTER_FLAG_BOGUS"],
        }));

        Assert.Equal(ErrorKind.InvalidArgument, e.Kind);
        Assert.Equal("parse seccomp flag `SECCOMP_FILTER_FLAG_BOGUS`: unknown flag", e.Message);
    }
}
