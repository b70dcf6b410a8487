using Berth.Errdefs;
using Berth.Oci.Runtime;
using Berth.Seccomp.Bpf;

namespace Berth.Seccomp;

/// <summary>
/// Emits one argument comparison (SCMP_CMP_*) over a 64-bit system call argument with a
/// 32-bit accumulator: the high words decide unless they are equal, then the low words do.
/// Every comparison is unsigned, as in the kernel and libseccomp. Code falls through when the
/// comparison holds and jumps to the caller's "fail" label when it does not.
/// </summary>
internal static class ArgComparison
{
    public const int MaxArgs = 6;

    public static void Validate(LinuxSeccompArg arg)
    {
        _ = OpOf(arg.Op);
        if (arg.Index >= MaxArgs)
        {
            throw BerthException.InvalidArgument(
                $"parse seccomp argument `{arg.Index}`: index must be below {MaxArgs}");
        }
    }

    public static void Emit(BpfAssembler asm, LinuxSeccompArg arg, Label fail)
    {
        var op = OpOf(arg.Op);
        var hi = (uint)(arg.Value >> 32);
        var lo = (uint)arg.Value;
        var pass = new Label();
        asm.Load(BpfCodes.OffsetArgHigh(arg.Index));
        switch (op)
        {
            case Op.Eq:
                asm.Jump(BpfCodes.JMP_JEQ_K, hi, null, fail);
                asm.Load(BpfCodes.OffsetArgLow(arg.Index));
                asm.Jump(BpfCodes.JMP_JEQ_K, lo, null, fail);
                return;
            case Op.Ne:
                asm.Jump(BpfCodes.JMP_JEQ_K, hi, null, pass);
                asm.Load(BpfCodes.OffsetArgLow(arg.Index));
                asm.Jump(BpfCodes.JMP_JEQ_K, lo, fail, null);
                break;
            case Op.Gt or Op.Ge:
                asm.Jump(BpfCodes.JMP_JGT_K, hi, pass, null);
                asm.Jump(BpfCodes.JMP_JEQ_K, hi, null, fail);
                asm.Load(BpfCodes.OffsetArgLow(arg.Index));
                asm.Jump(op == Op.Gt ? BpfCodes.JMP_JGT_K : BpfCodes.JMP_JGE_K, lo, null, fail);
                break;
            case Op.Lt or Op.Le:
                // a < v is !(a >= v) and a <= v is !(a > v): the low-word test jumps to fail.
                asm.Jump(BpfCodes.JMP_JGT_K, hi, fail, null);
                asm.Jump(BpfCodes.JMP_JEQ_K, hi, null, pass);
                asm.Load(BpfCodes.OffsetArgLow(arg.Index));
                asm.Jump(op == Op.Lt ? BpfCodes.JMP_JGE_K : BpfCodes.JMP_JGT_K, lo, fail, null);
                break;
            case Op.MaskedEq:
                // The runtime spec and libseccomp: value is the mask, valueTwo the datum.
                asm.And((uint)(arg.Value >> 32));
                asm.Jump(BpfCodes.JMP_JEQ_K, (uint)(arg.ValueTwo >> 32), null, fail);
                asm.Load(BpfCodes.OffsetArgLow(arg.Index));
                asm.And((uint)arg.Value);
                asm.Jump(BpfCodes.JMP_JEQ_K, (uint)arg.ValueTwo, null, fail);
                return;
        }

        asm.Bind(pass);
    }

    private enum Op
    {
        Ne,
        Lt,
        Le,
        Eq,
        Ge,
        Gt,
        MaskedEq,
    }

    private static Op OpOf(string op) => op switch
    {
        "SCMP_CMP_NE" => Op.Ne,
        "SCMP_CMP_LT" => Op.Lt,
        "SCMP_CMP_LE" => Op.Le,
        "SCMP_CMP_EQ" => Op.Eq,
        "SCMP_CMP_GE" => Op.Ge,
        "SCMP_CMP_GT" => Op.Gt,
        "SCMP_CMP_MASKED_EQ" => Op.MaskedEq,
        _ => throw BerthException.InvalidArgument($"parse seccomp operator `{op}`: unknown operator"),
    };
}
