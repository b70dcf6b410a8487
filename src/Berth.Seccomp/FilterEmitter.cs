using Berth.Seccomp.Bpf;

namespace Berth.Seccomp;

/// <summary>
/// Lays out the filter. Shape, top to bottom:
/// <code>
///   ld arch; jeq AUDIT_ARCH_… → section (one per audit token); ret BAD_ARCH
///   section: ld nr; [x86_64: split x32 by __X32_SYSCALL_BIT]; [jgt last → ENOSYS];
///            binary search over the system call numbers, leaves of a few jeq,
///            each leaf followed by its returns and argument-checking blocks
/// </code>
/// A system call costs about log2(n) + 4 comparisons instead of a walk down a chain of n.
/// </summary>
internal sealed class FilterEmitter(uint defaultRet)
{
    private const int LeafSize = 4;
    private const uint Enosys = 38;
    private readonly BpfAssembler _asm = new();

    public IReadOnlyList<SockFilter> Emit(IReadOnlyList<ArchFilter> arches)
    {
        var groups = arches.GroupBy(a => SeccompArchNames.AuditArch(a.Arch)).ToList();
        var sections = groups.Select(_ => new Label()).ToList();
        _asm.Load(BpfCodes.OffsetArch);
        for (var i = 0; i < groups.Count; i++)
        {
            _asm.Jump(BpfCodes.JMP_JEQ_K, groups[i].Key, sections[i], null);
        }

        _asm.Ret(SeccompRet.BadArch);
        for (var i = 0; i < groups.Count; i++)
        {
            _asm.Bind(sections[i]);
            _asm.Load(BpfCodes.OffsetNr);
            if (groups[i].Key == SeccompArchNames.AuditX86_64)
            {
                EmitX86_64(groups[i].FirstOrDefault(a => a.Arch == SeccompArch.X86_64), groups[i].FirstOrDefault(a => a.Arch == SeccompArch.X32));
            }
            else
            {
                EmitArch(groups[i].Single());
            }
        }

        return _asm.Assemble();
    }

    /// <summary>
    /// x86_64 and x32 share an audit token; x32 numbers have bit 30 set. Like libseccomp, a
    /// number from the half the profile does not cover gets the bad-architecture action, and
    /// nr -1 (what ptrace uses to skip a call) counts as x86_64.
    /// </summary>
    private void EmitX86_64(ArchFilter? x86_64, ArchFilter? x32)
    {
        var native = new Label();
        var compat = new Label();
        var bad = new Label();
        if (x86_64 is not null)
        {
            _asm.Jump(BpfCodes.JMP_JEQ_K, uint.MaxValue, native, null);
        }

        _asm.Jump(BpfCodes.JMP_JGE_K, SeccompArchNames.X32SyscallBit, x32 is null ? bad : compat, x86_64 is null ? bad : native);
        if (x86_64 is not null)
        {
            _asm.Bind(native);
            EmitArch(x86_64);
        }

        if (x32 is not null)
        {
            _asm.Bind(compat);
            EmitArch(x32);
        }

        if (x86_64 is null || x32 is null)
        {
            _asm.Bind(bad);
            _asm.Ret(SeccompRet.BadArch);
        }
    }

    private void EmitArch(ArchFilter arch)
    {
        var enosys = arch.EnosysAbove is null ? null : new Label();
        if (arch.EnosysAbove is { } last)
        {
            _asm.Jump(BpfCodes.JMP_JGT_K, last, enosys, null);
        }

        var entries = arch.Syscalls.Select(kv => (Nr: kv.Key, Rules: kv.Value)).ToArray();
        EmitTree(entries);
        if (enosys is not null)
        {
            _asm.Bind(enosys);
            _asm.Ret(SeccompRet.Errno | Enosys);
        }
    }

    /// <summary>Binary search on the number in A: jge splits, leaves compare for equality.</summary>
    private void EmitTree(ReadOnlySpan<(uint Nr, List<SyscallRule> Rules)> entries)
    {
        if (entries.Length > LeafSize)
        {
            var mid = entries.Length / 2;
            var upper = new Label();
            _asm.Jump(BpfCodes.JMP_JGE_K, entries[mid].Nr, upper, null);
            EmitTree(entries[..mid]);
            _asm.Bind(upper);
            EmitTree(entries[mid..]);
            return;
        }

        // Unconditional rules with the same action share one return within the leaf.
        var returns = new Dictionary<uint, Label>();
        var blocks = new List<(Label Label, List<SyscallRule> Rules)>();
        foreach (var (nr, rules) in entries)
        {
            Label target;
            if (rules[0].Args.Count == 0)
            {
                if (!returns.TryGetValue(rules[0].Ret, out target!))
                {
                    target = returns[rules[0].Ret] = new Label();
                }
            }
            else
            {
                target = new Label();
                blocks.Add((target, rules));
            }

            _asm.Jump(BpfCodes.JMP_JEQ_K, nr, target, null);
        }

        _asm.Ret(defaultRet);
        foreach (var (ret, label) in returns)
        {
            _asm.Bind(label);
            _asm.Ret(ret);
        }

        foreach (var (label, rules) in blocks)
        {
            _asm.Bind(label);
            EmitRules(rules);
        }
    }

    /// <summary>Rules of one system call in order; the first whose arguments all match decides.</summary>
    private void EmitRules(List<SyscallRule> rules)
    {
        foreach (var rule in rules)
        {
            if (rule.Args.Count == 0)
            {
                _asm.Ret(rule.Ret);
                return;
            }

            var next = new Label();
            foreach (var arg in rule.Args)
            {
                ArgComparison.Emit(_asm, arg, next);
            }

            _asm.Ret(rule.Ret);
            _asm.Bind(next);
        }

        _asm.Ret(defaultRet);
    }
}
