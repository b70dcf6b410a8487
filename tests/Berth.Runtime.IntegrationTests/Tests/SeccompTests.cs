using Berth.Oci.Runtime;
using Berth.Runtime.IntegrationTests.Harness;
using Xunit.Abstractions;

namespace Berth.Runtime.IntegrationTests.Tests;

/// <summary>config-linux.md "Seccomp": rules applied to the container process, the rest allowed.</summary>
[Collection(ProcessCollection.Name)]
public sealed class SeccompTests(SuiteFixture suite, ITestOutputHelper output) : RuntimeTest(suite, output)
{
    private const uint ENOTBLK = 15; // "Block device required": no mkdir would fail this way by itself

    [Fact]
    public void ErrnoRule_FailsTheSyscall_WithTheChosenErrno_AndAllowsTheRest()
    {
        var result = RunScript("mkdir /tmp/made; echo status=$?; touch /tmp/touched && echo touched; test -d /tmp/made || echo absent",
            s => s.Linux(l => l with { Seccomp = Profile("SCMP_ACT_ERRNO", ENOTBLK, "mkdir", "mkdirat") }));
        Assert.Equal("status=1\ntouched\nabsent\n", result.AssertSuccess().Stdout);
        Assert.Contains("Block device required", result.Stderr);
    }

    [Fact]
    public void WithoutTheProfile_MkdirWorks()
    {
        Assert.Equal("made\n", ScriptOutput("mkdir /tmp/made && test -d /tmp/made && echo made"));
    }

    [Fact]
    public void ErrnoRule_WithoutErrnoRet_FailsWithEperm()
    {
        var result = RunScript("mkdir /tmp/made; echo status=$?",
            s => s.Linux(l => l with { Seccomp = Profile("SCMP_ACT_ERRNO", null, "mkdir", "mkdirat") }));
        Assert.Equal("status=1\n", result.AssertSuccess().Stdout);
        Assert.Contains("Operation not permitted", result.Stderr);
    }

    [Fact]
    public void KillRule_KillsTheCaller_WithSigsys()
    {
        var result = RunScript("mkdir /tmp/made; echo status=$?",
            s => s.Linux(l => l with { Seccomp = Profile("SCMP_ACT_KILL", null, "mkdir", "mkdirat") }));
        Assert.Equal($"status={128 + 31}\n", result.AssertSuccess().Stdout);
    }

    [Fact]
    public void UnknownSyscallName_IsIgnored_TheKnownOnesStillApply()
    {
        // runc and crun both skip names libseccomp does not know (profiles name syscalls of
        // newer kernels); the rest of the rule must still be applied.
        var result = RunScript("mkdir /tmp/made; echo status=$?",
            s => s.Linux(l => l with { Seccomp = Profile("SCMP_ACT_ERRNO", ENOTBLK, "berth_no_such_syscall", "mkdir", "mkdirat") }));
        Assert.Equal("status=1\n", result.AssertSuccess().Stdout);
        Assert.Contains("Block device required", result.Stderr);
    }

    internal static LinuxSeccomp Profile(string action, uint? errno, params string[] names) => new()
    {
        DefaultAction = "SCMP_ACT_ALLOW",
        Syscalls = [new LinuxSyscall { Names = names, Action = action, ErrnoRet = errno }],
    };
}
