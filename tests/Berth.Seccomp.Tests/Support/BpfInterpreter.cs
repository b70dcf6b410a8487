namespace Berth.Seccomp.Tests.Support;

/// <summary>
/// A classic BPF interpreter for seccomp programs, checking what the kernel's
/// seccomp_check_filter and bpf_check_classic check: length 1..4096, only the opcodes a
/// seccomp filter may use, aligned loads inside seccomp_data, jumps that stay in the
/// program, and a return at the end. Written from the kernel's documentation, independently
/// of the compiler, so the two cannot share a bug.
/// </summary>
public static class BpfInterpreter
{
    private const ushort LdWAbs = 0x20;
    private const ushort AluAndK = 0x54;
    private const ushort Ja = 0x05;
    private const ushort Jeq = 0x15;
    private const ushort Jgt = 0x25;
    private const ushort Jge = 0x35;
    private const ushort Jset = 0x45;
    private const ushort Ret = 0x06;

    public static void Check(IReadOnlyList<SockFilter> program)
    {
        if (program.Count is 0 or > 4096)
        {
            throw new InvalidOperationException($"program length {program.Count}");
        }

        for (var pc = 0; pc < program.Count; pc++)
        {
            var insn = program[pc];
            switch (insn.Code)
            {
                case LdWAbs when insn.K % 4 != 0 || insn.K >= 64:
                    throw new InvalidOperationException($"{pc}: load at {insn.K}");
                case LdWAbs or AluAndK or Ret:
                    break;
                case Ja when (long)pc + 1 + insn.K >= program.Count:
                    throw new InvalidOperationException($"{pc}: ja {insn.K} leaves the program");
                case Ja:
                    break;
                case Jeq or Jgt or Jge or Jset when pc + 1 + Math.Max(insn.Jt, insn.Jf) >= program.Count:
                    throw new InvalidOperationException($"{pc}: jump leaves the program");
                case Jeq or Jgt or Jge or Jset:
                    break;
                default:
                    throw new InvalidOperationException($"{pc}: opcode 0x{insn.Code:x} not allowed in seccomp");
            }
        }

        if (program[^1].Code != Ret)
        {
            throw new InvalidOperationException("program does not end with a return");
        }
    }

    /// <summary>Runs the program on one system call and returns the filter's verdict.</summary>
    public static uint Run(IReadOnlyList<SockFilter> program, SeccompData data)
    {
        Check(program);
        uint a = 0;
        for (var pc = 0; pc < program.Count; pc++)
        {
            var insn = program[pc];
            switch (insn.Code)
            {
                case LdWAbs:
                    a = data.Word(insn.K);
                    break;
                case AluAndK:
                    a &= insn.K;
                    break;
                case Ja:
                    pc += (int)insn.K;
                    break;
                case Jeq:
                    pc += a == insn.K ? insn.Jt : insn.Jf;
                    break;
                case Jgt:
                    pc += a > insn.K ? insn.Jt : insn.Jf;
                    break;
                case Jge:
                    pc += a >= insn.K ? insn.Jt : insn.Jf;
                    break;
                case Jset:
                    pc += (a & insn.K) != 0 ? insn.Jt : insn.Jf;
                    break;
                case Ret:
                    return insn.K;
            }
        }

        throw new InvalidOperationException("fell off the end of the program");
    }
}
