namespace Berth.Seccomp.Bpf;

/// <summary>
/// One instruction before assembly. A conditional jump names its targets by label (null:
/// the next instruction); an unconditional jump (JA) names its target in <see cref="Ja"/>.
/// </summary>
internal sealed class Insn(ushort code, uint k)
{
    public ushort Code { get; } = code;

    public uint K { get; } = k;

    public Label? Jt { get; set; }

    public Label? Jf { get; set; }

    public Label? Ja { get; init; }

    public bool IsConditional => (Code & 0x07) == 0x05 && Code != BpfCodes.JMP_JA;
}
