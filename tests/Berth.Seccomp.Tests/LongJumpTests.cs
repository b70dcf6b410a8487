using Berth.Errdefs;
using Berth.Oci.Runtime;
using Berth.Seccomp.Bpf;
using Berth.Seccomp.Tests.Support;
using static Berth.Seccomp.Tests.Support.Profiles;

namespace Berth.Seccomp.Tests;

/// <summary>Conditional jumps reach 255 instructions; everything further needs a trampoline.</summary>
public sealed class LongJumpTests
{
    [Fact]
    public void EveryCallOfALargeProfileGetsItsOwnVerdict()
    {
        // One rule with an argument test per x86_64 system call: ~370 blocks, jumps of thousands.
        var table = SyscallTable.Of(SeccompArch.X86_64).OrderBy(kv => kv.Value).ToList();
        var rules = table.Select(kv => Rule("SCMP_ACT_ERRNO", kv.Key) with
        {
            ErrnoRet = (uint)kv.Value + 1,
            Args = [Arg((uint)kv.Value % 6, "SCMP_CMP_EQ", (ulong)kv.Value << 20)],
        }).ToList();
        rules.AddRange(table.Take(60).Select(kv => Rule("SCMP_ACT_TRACE", kv.Key) with { ErrnoRet = 7, Args = [Arg(0, "SCMP_CMP_GT", 5)] }));
        Assert.True(rules.Count >= 400);

        var program = Compile(new LinuxSeccomp { DefaultAction = "SCMP_ACT_ALLOW", Syscalls = rules });

        Assert.Contains(program.Instructions, i => i.Code == 0x05); // trampolines were needed
        foreach (var (name, nr) in table)
        {
            var args = new ulong[6];
            args[nr % 6] = (ulong)nr << 20;
            Assert.True(Ret.Errno((uint)nr + 1) == program.Call(name, args), name);
            args[nr % 6] = 3;
            var expected = nr <= table[59].Value && nr % 6 != 0 ? Ret.Trace(7) : Ret.Allow;
            args[0] = nr % 6 == 0 ? 3ul : 6ul;
            Assert.True(expected == program.Call(name, args), name + " second rule");
        }
    }

    [Fact]
    public void HundredsOfRulesForOneCallChainCorrectly()
    {
        var rules = Enumerable.Range(0, 500)
            .Select(i => Rule("SCMP_ACT_ERRNO", "ioctl") with { ErrnoRet = (uint)i + 1, Args = [Arg(1, "SCMP_CMP_EQ", 0x5400ul + (ulong)i)] })
            .Prepend(Rule("SCMP_ACT_ALLOW", "read", "write"))
            .Append(Rule("SCMP_ACT_ALLOW", "close"))
            .ToList();

        var program = Compile(new LinuxSeccomp { DefaultAction = "SCMP_ACT_KILL_PROCESS", Syscalls = rules });

        Assert.True(program.Instructions.Count > 2000);
        for (var i = 0; i < 500; i++)
        {
            Assert.Equal(Ret.Errno((uint)i + 1), program.Call("ioctl", 0, 0x5400ul + (ulong)i));
        }

        Assert.Equal(Ret.KillProcess, program.Call("ioctl", 0, 0x5400ul + 500));
        Assert.Equal(Ret.Allow, program.Call("close"));
        Assert.Equal(Ret.Allow, program.Call("write"));
    }

    [Fact]
    public void AssemblerPutsTrampolinesOnBothBranches()
    {
        var asm = new BpfAssembler();
        var far = new Label();
        var farToo = new Label();
        asm.Load(0);
        asm.Jump(BpfCodes.JMP_JGE_K, 100, farToo, null);
        asm.Jump(BpfCodes.JMP_JEQ_K, 1, far, null);
        asm.Jump(BpfCodes.JMP_JSET_K, 2, null, far);
        asm.Jump(BpfCodes.JMP_JEQ_K, 2, far, farToo);
        for (var i = 0; i < 600; i++)
        {
            asm.Ret(1000 + (uint)i);
        }

        asm.Bind(far);
        asm.Ret(1);
        for (var i = 0; i < 300; i++)
        {
            asm.Ret(2000 + (uint)i);
        }

        asm.Bind(farToo);
        asm.Ret(2);

        var program = asm.Assemble();

        Assert.Equal(907 + 5, program.Count); // 1 + 4 + 600 + 1 + 300 + 1, and 5 trampolines
        Assert.Equal(1u, BpfInterpreter.Run(program, new SeccompData(1, 0)));
        Assert.Equal(1u, BpfInterpreter.Run(program, new SeccompData(2, 0)));
        Assert.Equal(2u, BpfInterpreter.Run(program, new SeccompData(3, 0)));
        Assert.Equal(1u, BpfInterpreter.Run(program, new SeccompData(4, 0)));
        Assert.Equal(2u, BpfInterpreter.Run(program, new SeccompData(6, 0)));
        Assert.Equal(2u, BpfInterpreter.Run(program, new SeccompData(100, 0)));
    }

    [Fact]
    public void AssemblerHandlesJumpsJustAtTheLimit()
    {
        foreach (var gap in new[] { 254, 255, 256, 257 })
        {
            var asm = new BpfAssembler();
            var target = new Label();
            asm.Load(0);
            asm.Jump(BpfCodes.JMP_JEQ_K, 7, target, null);
            asm.Jump(BpfCodes.JMP_JGT_K, 7, null, target);
            for (var i = 0; i < gap; i++)
            {
                asm.Ret(100);
            }

            asm.Bind(target);
            asm.Ret(7);

            var program = asm.Assemble();

            Assert.Equal(7u, BpfInterpreter.Run(program, new SeccompData(7, 0)));
            Assert.Equal(7u, BpfInterpreter.Run(program, new SeccompData(3, 0)));
            Assert.Equal(100u, BpfInterpreter.Run(program, new SeccompData(8, 0)));
        }
    }

    [Fact]
    public void AProgramOverTheKernelLimitIsRejected()
    {
        var rules = SyscallTable.Of(SeccompArch.X86_64).Keys
            .Select(name => Rule("SCMP_ACT_ERRNO", name) with { Args = [Arg(0, "SCMP_CMP_LT", 1), Arg(1, "SCMP_CMP_GT", 2), Arg(2, "SCMP_CMP_NE", 3)] })
            .ToList();

        var e = Assert.Throws<BerthException>(() => Compile(new LinuxSeccomp { DefaultAction = "SCMP_ACT_ALLOW", Syscalls = rules }));

        Assert.Equal(ErrorKind.InvalidArgument, e.Kind);
        Assert.Contains("exceed the kernel's limit of 4096", e.Message);
    }
}
