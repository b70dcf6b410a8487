using Berth.Errdefs;
using Berth.Oci.Runtime;
using Berth.Seccomp.Tests.Support;
using static Berth.Seccomp.Tests.Support.Profiles;

namespace Berth.Seccomp.Tests;

public sealed class ActionTests
{
    public static TheoryData<string, uint?, uint> Actions => new()
    {
        { "SCMP_ACT_KILL", null, Ret.KillThread },
        { "SCMP_ACT_KILL_THREAD", null, Ret.KillThread },
        { "SCMP_ACT_KILL_PROCESS", null, Ret.KillProcess },
        { "SCMP_ACT_TRAP", null, Ret.Trap },
        { "SCMP_ACT_ERRNO", null, Ret.Errno(1) },
        { "SCMP_ACT_ERRNO", 38u, Ret.Errno(38) },
        { "SCMP_ACT_ERRNO", 0u, Ret.Errno(0) },
        { "SCMP_ACT_TRACE", null, Ret.Trace(1) },
        { "SCMP_ACT_TRACE", 1234u, Ret.Trace(1234) },
        { "SCMP_ACT_ALLOW", null, Ret.Allow },
        { "SCMP_ACT_LOG", null, Ret.Log },
    };

    [Theory]
    [MemberData(nameof(Actions))]
    public void DefaultActionAppliesToUnlistedCalls(string action, uint? errno, uint expected)
    {
        var program = Compile(new LinuxSeccomp
        {
            DefaultAction = action,
            DefaultErrnoRet = errno,
            Syscalls = [Rule(action == "SCMP_ACT_ALLOW" ? "SCMP_ACT_LOG" : "SCMP_ACT_ALLOW", "read", "clone3")],
        });

        Assert.Equal(expected, program.Call("getpid"));
        Assert.Equal(action == "SCMP_ACT_ALLOW" ? Ret.Log : Ret.Allow, program.Call("read"));
    }

    [Theory]
    [MemberData(nameof(Actions))]
    public void RuleActionAppliesToItsCalls(string action, uint? errno, uint expected)
    {
        var defaultAction = action == "SCMP_ACT_TRAP" ? "SCMP_ACT_ALLOW" : "SCMP_ACT_TRAP";
        var program = Compile(new LinuxSeccomp
        {
            DefaultAction = defaultAction,
            Syscalls = [Rule(action, "getppid", "gettid") with { ErrnoRet = errno }],
        });

        Assert.Equal(expected, program.Call("getppid"));
        Assert.Equal(expected, program.Call("gettid"));
        Assert.Equal(defaultAction == "SCMP_ACT_TRAP" ? Ret.Trap : Ret.Allow, program.Call("getpid"));
        Assert.False(program.NeedsListener);
    }

    [Fact]
    public void ErrnoIsPerRule()
    {
        var program = Compile(new LinuxSeccomp
        {
            DefaultAction = "SCMP_ACT_ALLOW",
            Syscalls =
            [
                Rule("SCMP_ACT_ERRNO", "mount") with { ErrnoRet = 99 },
                Rule("SCMP_ACT_ERRNO", "umount2"),
                Rule("SCMP_ACT_ERRNO", "reboot") with { ErrnoRet = 4095 },
            ],
        });

        Assert.Equal(Ret.Errno(99), program.Call("mount"));
        Assert.Equal(Ret.Errno(1), program.Call("umount2"));
        Assert.Equal(Ret.Errno(4095), program.Call("reboot"));
    }

    [Fact]
    public void NotifyNeedsAListener()
    {
        var program = Compile(new LinuxSeccomp
        {
            DefaultAction = "SCMP_ACT_ALLOW",
            Syscalls = [Rule("SCMP_ACT_NOTIFY", "mknod", "mknodat")],
        });

        Assert.True(program.NeedsListener);
        Assert.Equal(SeccompFlags.NewListener, program.Flags);
        Assert.Equal(Ret.Notify, program.Call("mknodat"));
    }

    [Fact]
    public void NotifyCannotBeTheDefaultOrApplyToWrite()
    {
        var asDefault = Assert.Throws<BerthException>(() => Compile(new LinuxSeccomp { DefaultAction = "SCMP_ACT_NOTIFY" }));
        Assert.Contains("`SCMP_ACT_NOTIFY`", asDefault.Message);

        var onWrite = Assert.Throws<BerthException>(() => Compile(new LinuxSeccomp
        {
            DefaultAction = "SCMP_ACT_ALLOW",
            Syscalls = [Rule("SCMP_ACT_NOTIFY", "write")],
        }));
        Assert.Equal(ErrorKind.InvalidArgument, onWrite.Kind);
    }

    [Theory]
    [InlineData("SCMP_ACT_BOGUS", true)]
    [InlineData("scmp_act_allow", true)]
    [InlineData("SCMP_ACT_BOGUS", false)]
    public void UnknownActionIsRejectedByName(string action, bool asDefault)
    {
        var profile = asDefault
            ? new LinuxSeccomp { DefaultAction = action }
            : new LinuxSeccomp { DefaultAction = "SCMP_ACT_ALLOW", Syscalls = [Rule(action, "read")] };

        var e = Assert.Throws<BerthException>(() => Compile(profile));

        Assert.Equal(ErrorKind.InvalidArgument, e.Kind);
        Assert.Equal($"parse seccomp action `{action}`: unknown action", e.Message);
    }

    [Fact]
    public void ErrnoThatDoesNotFitIsRejected()
    {
        var e = Assert.Throws<BerthException>(() => Compile(new LinuxSeccomp { DefaultAction = "SCMP_ACT_ERRNO", DefaultErrnoRet = 65536 }));

        Assert.Equal(ErrorKind.InvalidArgument, e.Kind);
        Assert.Contains("65536", e.Message);
    }
}
