using Berth.Errdefs;

namespace Berth.Seccomp.Bpf;

/// <summary>
/// Builds a classic BPF program with symbolic, forward-only jump targets and lays it out.
/// A conditional jump's offsets are 8 bits; when a target lies more than 255 instructions
/// ahead, <see cref="Assemble"/> puts a JA trampoline (32-bit offset) right after the jump and
/// points the branch at it, repeating until every offset fits.
/// </summary>
internal sealed class BpfAssembler
{
    private readonly List<Insn> _insns = [];
    private readonly List<Label> _pending = [];

    public int Count => _insns.Count;

    /// <summary>Binds <paramref name="label"/> to the next instruction emitted.</summary>
    public void Bind(Label label)
    {
        if (label.Target is not null)
        {
            throw BerthException.Internal("bind bpf label: already bound");
        }

        _pending.Add(label);
    }

    public void Load(uint offset) => Emit(new Insn(BpfCodes.LD_W_ABS, offset));

    public void And(uint mask) => Emit(new Insn(BpfCodes.ALU_AND_K, mask));

    public void Ret(uint value) => Emit(new Insn(BpfCodes.RET_K, value));

    public void Goto(Label target) => Emit(new Insn(BpfCodes.JMP_JA, 0) { Ja = target });

    /// <summary>A conditional jump; a null target means "fall through to the next instruction".</summary>
    public void Jump(ushort code, uint k, Label? jt, Label? jf) => Emit(new Insn(code, k) { Jt = jt, Jf = jf });

    private void Emit(Insn insn)
    {
        foreach (var label in _pending)
        {
            label.Target = insn;
        }

        _pending.Clear();
        _insns.Add(insn);
    }

    public IReadOnlyList<SockFilter> Assemble()
    {
        if (_pending.Count > 0)
        {
            throw BerthException.Internal("assemble bpf program: label bound past the last instruction");
        }

        var insns = new List<Insn>(_insns);
        while (Relax(insns))
        {
        }

        var index = new Dictionary<Insn, int>(ReferenceEqualityComparer.Instance);
        for (var i = 0; i < insns.Count; i++)
        {
            index[insns[i]] = i;
        }

        var program = new SockFilter[insns.Count];
        for (var i = 0; i < insns.Count; i++)
        {
            var insn = insns[i];
            if (insn.Code == BpfCodes.JMP_JA)
            {
                program[i] = new SockFilter(insn.Code, 0, 0, (uint)Offset(index, i, insn.Ja));
            }
            else if (insn.IsConditional)
            {
                program[i] = new SockFilter(insn.Code, checked((byte)Offset(index, i, insn.Jt)), checked((byte)Offset(index, i, insn.Jf)), insn.K);
            }
            else
            {
                program[i] = new SockFilter(insn.Code, 0, 0, insn.K);
            }
        }

        return program;
    }

    /// <summary>One pass: gives every out-of-range branch a trampoline. True when anything moved.</summary>
    private static bool Relax(List<Insn> insns)
    {
        var index = new Dictionary<Insn, int>(ReferenceEqualityComparer.Instance);
        for (var i = 0; i < insns.Count; i++)
        {
            index[insns[i]] = i;
        }

        var changed = false;
        var result = new List<Insn>(insns.Count + 16);
        for (var i = 0; i < insns.Count; i++)
        {
            var insn = insns[i];
            result.Add(insn);
            if (!insn.IsConditional)
            {
                continue;
            }

            var farTrue = Offset(index, i, insn.Jt) > byte.MaxValue;
            var farFalse = Offset(index, i, insn.Jf) > byte.MaxValue;
            if (!farTrue && !farFalse)
            {
                continue;
            }

            if (i + 1 >= insns.Count)
            {
                throw BerthException.Internal("assemble bpf program: conditional jump falls off the end");
            }

            // Branches that fell through now have to step over the trampolines.
            var next = new Label { Target = insns[i + 1] };
            var jt = insn.Jt ?? next;
            var jf = insn.Jf ?? next;
            if (farTrue)
            {
                var trampoline = new Insn(BpfCodes.JMP_JA, 0) { Ja = jt };
                result.Add(trampoline);
                insn.Jt = new Label { Target = trampoline };
            }
            else
            {
                insn.Jt = jt;
            }

            if (farFalse)
            {
                var trampoline = new Insn(BpfCodes.JMP_JA, 0) { Ja = jf };
                result.Add(trampoline);
                insn.Jf = new Label { Target = trampoline };
            }
            else
            {
                insn.Jf = jf;
            }

            changed = true;
        }

        insns.Clear();
        insns.AddRange(result);
        return changed;
    }

    private static int Offset(Dictionary<Insn, int> index, int from, Label? target)
    {
        if (target is null)
        {
            return 0;
        }

        if (target.Target is null || !index.TryGetValue(target.Target, out var to))
        {
            throw BerthException.Internal("assemble bpf program: jump to an unbound label");
        }

        var offset = to - from - 1;
        return offset >= 0 ? offset : throw BerthException.Internal("assemble bpf program: backward jump");
    }
}
