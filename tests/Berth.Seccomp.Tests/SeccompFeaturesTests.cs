using Berth.Oci.Runtime;

namespace Berth.Seccomp.Tests;

/// <summary>Every name `features` reports must be one the compiler accepts.</summary>
public sealed class SeccompFeaturesTests
{
    private static LinuxSeccomp Rule(string action, string op = "SCMP_CMP_EQ") => new()
    {
        DefaultAction = "SCMP_ACT_ALLOW",
        Syscalls = [new LinuxSyscall { Names = ["getppid"], Action = action, Args = [new LinuxSeccompArg { Index = 0, Value = 1, Op = op }] }],
    };

    public static TheoryData<string> Actions => new(SeccompFeatures.Actions);

    public static TheoryData<string> Operators => new(SeccompFeatures.Operators);

    public static TheoryData<string> Architectures => new(SeccompFeatures.Architectures);

    public static TheoryData<string> Flags => new(SeccompFeatures.Flags);

    [Theory]
    [MemberData(nameof(Actions))]
    public void Each_reported_action_compiles(string action) => Assert.NotEmpty(SeccompCompiler.Compile(Rule(action)).Instructions);

    [Theory]
    [MemberData(nameof(Operators))]
    public void Each_reported_operator_compiles(string op) => Assert.NotEmpty(SeccompCompiler.Compile(Rule("SCMP_ACT_ERRNO", op)).Instructions);

    [Theory]
    [MemberData(nameof(Architectures))]
    public void Each_reported_architecture_compiles(string arch) =>
        Assert.NotEmpty(SeccompCompiler.Compile(Rule("SCMP_ACT_ERRNO") with { Architectures = [arch] }).Instructions);

    [Theory]
    [MemberData(nameof(Flags))]
    public void Each_reported_flag_compiles(string flag)
    {
        // WAIT_KILLABLE_RECV only means something for a filter with a notify listener.
        var action = flag == "SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV" ? "SCMP_ACT_NOTIFY" : "SCMP_ACT_ERRNO";
        Assert.NotEqual(0u, SeccompCompiler.Compile(Rule(action) with { Flags = [flag] }).Flags);
    }

    [Fact]
    public void Unknown_names_are_refused()
    {
        Assert.ThrowsAny<Exception>(() => SeccompCompiler.Compile(Rule("SCMP_ACT_BOGUS")));
        Assert.ThrowsAny<Exception>(() => SeccompCompiler.Compile(Rule("SCMP_ACT_ERRNO", "SCMP_CMP_BOGUS")));
    }
}
