using Berth.Seccomp.Bpf;

namespace Berth.Seccomp;

/// <summary>
/// Lays out the filter. Shape, top to bottom:
/// <code>
///   ld arch; jeq AUDIT_ARCH_… → section (one per audit token); ret BAD_ARCH
///   section: ld nr; [x86_64: split x32 by __X32_SYSCALL_BIT]; [jgt last → ENOSYS];
///            binary search over ranges of system call numbers, leaves of a few tests,
///            each leaf followed by its returns and argument-checking blocks
/// </code>
/// A system call costs about log2(ranges) + 8 comparisons instead of a walk down a chain.
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

        EmitTree(Segments(arch).ToArray());
        if (enosys is not null)
        {
            _asm.Bind(enosys);
            _asm.Ret(SeccompRet.Errno | Enosys);
        }
    }

    /// <summary>
    /// Runs of consecutive numbers with the same unconditional verdict become one range (an
    /// allow-list has long runs: podman's 345 x86_64 calls make 53 ranges); numbers between
    /// ranges get the default.
    /// </summary>
    private static List<Segment> Segments(ArchFilter arch)
    {
        var segments = new List<Segment>();
        foreach (var (nr, rules) in arch.Syscalls)
        {
            var simple = rules[0].Args.Count == 0;
            if (simple && segments.Count > 0 && segments[^1] is { IsSimple: true } prev
                && prev.Hi + 1 == nr && prev.Rules[0].Ret == rules[0].Ret)
            {
                segments[^1] = prev with { Hi = nr };
                continue;
            }

            segments.Add(new Segment(nr, nr, rules));
        }

        return segments;
    }

    /// <summary>Binary search on the number in A: jge splits, leaves test their ranges in order.</summary>
    private void EmitTree(ReadOnlySpan<Segment> segments)
    {
        if (segments.Length > LeafSize)
        {
            var mid = segments.Length / 2;
            var upper = new Label();
            _asm.Jump(BpfCodes.JMP_JGE_K, segments[mid].Lo, upper, null);
            EmitTree(segments[..mid]);
            _asm.Bind(upper);
            EmitTree(segments[mid..]);
            return;
        }

        // Unconditional verdicts share one return within the leaf.
        var fallback = new Label();
        var returns = new Dictionary<uint, Label>();
        var blocks = new List<(Label Label, List<SyscallRule> Rules)>();
        foreach (var segment in segments)
        {
            Label target;
            if (segment.IsSimple)
            {
                if (!returns.TryGetValue(segment.Rules[0].Ret, out target!))
                {
                    target = returns[segment.Rules[0].Ret] = new Label();
                }
            }
            else
            {
                target = new Label();
                blocks.Add((target, segment.Rules));
            }

            if (segment.Lo == segment.Hi)
            {
                _asm.Jump(BpfCodes.JMP_JEQ_K, segment.Lo, target, null);
            }
            else
            {
                // Ranges ascend: below this one's start means below every later one too.
                var next = new Label();
                _asm.Jump(BpfCodes.JMP_JGT_K, segment.Hi, next, null);
                _asm.Jump(BpfCodes.JMP_JGE_K, segment.Lo, target, fallback);
                _asm.Bind(next);
            }
        }

        _asm.Bind(fallback);
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

    /// <summary>The numbers Lo..Hi share <see cref="Rules"/> (only ever one number when they test arguments).</summary>
    private readonly record struct Segment(uint Lo, uint Hi, List<SyscallRule> Rules)
    {
        public bool IsSimple => Rules[0].Args.Count == 0;
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
