namespace Berth.Seccomp.Tests.Support;

/// <summary>struct seccomp_data from linux/seccomp.h, as a filter sees a system call.</summary>
public sealed record SeccompData(uint Nr, uint Arch, params ulong[] Args)
{
    public ulong InstructionPointer { get; init; }

    /// <summary>The 32-bit word at <paramref name="offset"/>, little-endian as on x86 and arm.</summary>
    public uint Word(uint offset)
    {
        ulong Arg(int i) => i < Args.Length ? Args[i] : 0;
        return offset switch
        {
            0 => Nr,
            4 => Arch,
            8 => (uint)InstructionPointer,
            12 => (uint)(InstructionPointer >> 32),
            >= 16 and < 64 => (offset - 16) % 8 == 0
                ? (uint)Arg((int)(offset - 16) / 8)
                : (uint)(Arg((int)(offset - 16) / 8) >> 32),
            _ => throw new InvalidOperationException($"load outside seccomp_data at {offset}"),
        };
    }
}
