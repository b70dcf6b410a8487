namespace Berth.Seccomp.Bpf;

/// <summary>
/// Classic BPF opcodes (linux/filter.h, linux/bpf_common.h) and the layout of
/// <c>struct seccomp_data</c> that seccomp filters read: nr, arch, instruction_pointer,
/// args[6], all little-endian on the architectures Berth supports.
/// </summary>
internal static class BpfCodes
{
    public const ushort LD_W_ABS = 0x00 | 0x00 | 0x20;   // BPF_LD | BPF_W | BPF_ABS
    public const ushort ALU_AND_K = 0x04 | 0x50 | 0x00;  // BPF_ALU | BPF_AND | BPF_K
    public const ushort JMP_JA = 0x05 | 0x00;            // BPF_JMP | BPF_JA
    public const ushort JMP_JEQ_K = 0x05 | 0x10 | 0x00;  // BPF_JMP | BPF_JEQ | BPF_K
    public const ushort JMP_JGT_K = 0x05 | 0x20 | 0x00;
    public const ushort JMP_JGE_K = 0x05 | 0x30 | 0x00;
    public const ushort JMP_JSET_K = 0x05 | 0x40 | 0x00;
    public const ushort RET_K = 0x06 | 0x00;             // BPF_RET | BPF_K

    /// <summary>BPF_MAXINSNS: the kernel refuses longer programs.</summary>
    public const int MaxInstructions = 4096;

    /// <summary>Offsets in struct seccomp_data.</summary>
    public const uint OffsetNr = 0;
    public const uint OffsetArch = 4;

    public static uint OffsetArgLow(uint index) => 16 + 8 * index;

    public static uint OffsetArgHigh(uint index) => 16 + 8 * index + 4;
}
