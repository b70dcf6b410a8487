using Berth.Errdefs;
using Berth.Oci.Runtime;
using Berth.Seccomp.Tests.Support;
using static Berth.Seccomp.Tests.Support.Profiles;

namespace Berth.Seccomp.Tests;

public sealed class ArgumentTests
{
    /// <summary>Values around the word boundary and the sign bits of both words.</summary>
    private static readonly ulong[] Interesting =
    [
        0, 1, 2, 0x7fffffff, 0x80000000, 0xfffffffe, 0xffffffff,
        0x1_0000_0000, 0x1_0000_0001, 0x1_ffff_ffff, 0x2_0000_0000, 0x2_0000_0001,
        0x7fff_ffff_ffff_ffff, 0x8000_0000_0000_0000, 0x8000_0000_0000_0001,
        0xffff_ffff_0000_0000, 0xffff_ffff_7fff_ffff, 0xffff_ffff_ffff_fffe, 0xffff_ffff_ffff_ffff,
    ];

    public static TheoryData<string> Ops =>
        ["SCMP_CMP_NE", "SCMP_CMP_LT", "SCMP_CMP_LE", "SCMP_CMP_EQ", "SCMP_CMP_GE", "SCMP_CMP_GT"];

    private static bool Holds(string op, ulong arg, ulong value) => op switch
    {
        "SCMP_CMP_NE" => arg != value,
        "SCMP_CMP_LT" => arg < value,
        "SCMP_CMP_LE" => arg <= value,
        "SCMP_CMP_EQ" => arg == value,
        "SCMP_CMP_GE" => arg >= value,
        "SCMP_CMP_GT" => arg > value,
        _ => throw new ArgumentOutOfRangeException(nameof(op)),
    };

    [Theory]
    [MemberData(nameof(Ops))]
    public void ComparisonsAreUnsigned64Bit(string op)
    {
        foreach (var index in new uint[] { 0, 3, 5 })
        {
            foreach (var value in Interesting)
            {
                var program = Compile(new LinuxSeccomp
                {
                    DefaultAction = "SCMP_ACT_ALLOW",
                    Syscalls = [Rule("SCMP_ACT_ERRNO", "ioctl") with { ErrnoRet = 7, Args = [Arg(index, op, value)] }],
                });

                foreach (var arg in Interesting)
                {
                    var args = new ulong[6];
                    args[index] = arg;
                    args[(index + 1) % 6] = ~arg; // the other arguments must not matter
                    var expected = Holds(op, arg, value) ? Ret.Errno(7) : Ret.Allow;
                    Assert.True(expected == program.Call("ioctl", args), $"{op} arg{index}=0x{arg:x} value=0x{value:x}");
                }
            }
        }
    }

    [Fact]
    public void MaskedEqualTakesMaskThenDatum()
    {
        ulong[] masks = [0, 0xff, 0x7e020000, 0xffff_ffff_0000_0000, 0x8000_0000_0000_0001, ulong.MaxValue];
        foreach (var mask in masks)
        {
            foreach (var datum in Interesting)
            {
                var program = Compile(new LinuxSeccomp
                {
                    DefaultAction = "SCMP_ACT_ALLOW",
                    Syscalls = [Rule("SCMP_ACT_ERRNO", "clone") with { Args = [Arg(0, "SCMP_CMP_MASKED_EQ", mask, datum)] }],
                });

                foreach (var arg in Interesting)
                {
                    var expected = (arg & mask) == datum ? Ret.Errno(1) : Ret.Allow;
                    Assert.True(expected == program.Call("clone", arg), $"mask=0x{mask:x} datum=0x{datum:x} arg=0x{arg:x}");
                }
            }
        }
    }

    [Fact]
    public void ArgumentsOfOneRuleAreAnded()
    {
        var program = Compile(new LinuxSeccomp
        {
            DefaultAction = "SCMP_ACT_ERRNO",
            DefaultErrnoRet = 38,
            Syscalls =
            [
                Rule("SCMP_ACT_ALLOW", "socket") with { Args = [Arg(0, "SCMP_CMP_EQ", 16), Arg(2, "SCMP_CMP_NE", 9)] },
            ],
        });

        Assert.Equal(Ret.Allow, program.Call("socket", 16, 3, 0));
        Assert.Equal(Ret.Errno(38), program.Call("socket", 16, 3, 9));
        Assert.Equal(Ret.Errno(38), program.Call("socket", 2, 1, 0));
    }

    [Fact]
    public void TestsOnTheSameArgumentAreAndedToo()
    {
        var program = Compile(new LinuxSeccomp
        {
            DefaultAction = "SCMP_ACT_ALLOW",
            Syscalls = [Rule("SCMP_ACT_ERRNO", "kill") with { Args = [Arg(1, "SCMP_CMP_GE", 10), Arg(1, "SCMP_CMP_LE", 20)] }],
        });

        Assert.Equal(Ret.Allow, program.Call("kill", 1, 9));
        Assert.Equal(Ret.Errno(1), program.Call("kill", 1, 10));
        Assert.Equal(Ret.Errno(1), program.Call("kill", 1, 20));
        Assert.Equal(Ret.Allow, program.Call("kill", 1, 21));
    }

    [Fact]
    public void RulesForOneCallAreOredInOrder()
    {
        var program = Compile(new LinuxSeccomp
        {
            DefaultAction = "SCMP_ACT_ERRNO",
            Syscalls =
            [
                Rule("SCMP_ACT_ALLOW", "personality") with { Args = [Arg(0, "SCMP_CMP_EQ", 0)] },
                Rule("SCMP_ACT_ALLOW", "personality") with { Args = [Arg(0, "SCMP_CMP_EQ", 8)] },
                Rule("SCMP_ACT_ERRNO", "personality") with { ErrnoRet = 22, Args = [Arg(0, "SCMP_CMP_GT", 100)] },
                Rule("SCMP_ACT_LOG", "personality") with { Args = [Arg(0, "SCMP_CMP_GT", 50)] },
                Rule("SCMP_ACT_TRAP", "personality"),
                Rule("SCMP_ACT_ALLOW", "personality"),
            ],
        });

        Assert.Equal(Ret.Allow, program.Call("personality", 0));
        Assert.Equal(Ret.Allow, program.Call("personality", 8));
        Assert.Equal(Ret.Errno(22), program.Call("personality", 101));
        Assert.Equal(Ret.Log, program.Call("personality", 60));
        Assert.Equal(Ret.Trap, program.Call("personality", 1));
    }

    [Fact]
    public void AnUnconditionalRuleFirstWins()
    {
        var program = Compile(new LinuxSeccomp
        {
            DefaultAction = "SCMP_ACT_ERRNO",
            Syscalls =
            [
                Rule("SCMP_ACT_ALLOW", "personality"),
                Rule("SCMP_ACT_TRAP", "personality") with { Args = [Arg(0, "SCMP_CMP_EQ", 8)] },
            ],
        });

        Assert.Equal(Ret.Allow, program.Call("personality", 8));
    }

    [Theory]
    [InlineData("SCMP_CMP_BOGUS")]
    [InlineData("")]
    public void UnknownOperatorIsRejectedByName(string op)
    {
        var e = Assert.Throws<BerthException>(() => Compile(new LinuxSeccomp
        {
            DefaultAction = "SCMP_ACT_ALLOW",
            Syscalls = [Rule("SCMP_ACT_ERRNO", "read") with { Args = [Arg(0, op, 1)] }],
        }));

        Assert.Equal(ErrorKind.InvalidArgument, e.Kind);
        Assert.Equal($"parse seccomp operator `{op}`: unknown operator", e.Message);
    }

    [Fact]
    public void ArgumentIndexPastFiveIsRejected()
    {
        var e = Assert.Throws<BerthException>(() => Compile(new LinuxSeccomp
        {
            DefaultAction = "SCMP_ACT_ALLOW",
            Syscalls = [Rule("SCMP_ACT_ERRNO", "read") with { Args = [Arg(6, "SCMP_CMP_EQ", 1)] }],
        }));

        Assert.Equal(ErrorKind.InvalidArgument, e.Kind);
        Assert.Contains("`6`", e.Message);
    }
}
