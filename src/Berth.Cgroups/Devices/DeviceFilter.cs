using System.Buffers.Binary;
using Berth.Errdefs;

namespace Berth.Cgroups.Devices;

/// <summary>
/// Builds the eBPF program (BPF_PROG_TYPE_CGROUP_DEVICE) that enforces device rules on
/// cgroup v2. The kernel calls it with struct bpf_cgroup_dev_ctx { u32 access_type; u32
/// major; u32 minor; }, access_type being (access &lt;&lt; 16) | type, and allows the access
/// when it returns 1. The program tests the rules from last to first, so a later rule
/// overrides an earlier one as with v1's devices.allow/deny, and denies when none matches.
/// An allow rule matches when it grants every access asked for; a deny rule matches when it
/// refuses any of them. (runc folds the rules through an emulator first; the result is the
/// same except for split grants — "allow r" then "allow w" does not add up to "rw" here.)
/// </summary>
internal static partial class DeviceFilter
{
    // Instruction codes from linux/bpf.h (checked with gcc on the uapi header).
    private const byte LdxMemW = 0x61;
    private const byte Alu32AndK = 0x54;
    private const byte Alu32RshK = 0x74;
    private const byte Alu32MovX = 0xbc;
    private const byte Alu32MovK = 0xb4;
    private const byte JmpJneK = 0x55;
    private const byte JmpJeqK = 0x15;
    private const byte JmpExit = 0x95;

    private const int DevBlock = 1;
    private const int DevChar = 2;
    private const int AccMknod = 1;
    private const int AccRead = 2;
    private const int AccWrite = 4;
    private const int AccAll = AccMknod | AccRead | AccWrite;

    // Registers: R1 holds the context on entry and is scratch afterwards.
    private const byte R0 = 0, R1 = 1, R2 = 2, R3 = 3, R4 = 4, R5 = 5;

    /// <summary>One instruction; Jump marks a jump to the end of its rule's block, resolved when the block is done.</summary>
    internal readonly record struct Insn(byte Code, byte Dst, byte Src, short Off, int Imm, bool Jump = false);

    /// <summary>The program as the kernel reads it: 8 bytes per instruction, little-endian.</summary>
    public static byte[] Build(IReadOnlyList<DeviceRule> rules) => Encode(Instructions(rules));

    internal static List<Insn> Instructions(IReadOnlyList<DeviceRule> rules)
    {
        var program = new List<Insn>
        {
            new(LdxMemW, R2, R1, 0, 0),        // r2 = ctx->access_type
            new(Alu32AndK, R2, 0, 0, 0xFFFF),  // r2 &= 0xffff: the device type
            new(LdxMemW, R3, R1, 0, 0),        // r3 = ctx->access_type
            new(Alu32RshK, R3, 0, 0, 16),      // r3 >>= 16: the access asked for
            new(LdxMemW, R4, R1, 4, 0),        // r4 = ctx->major
            new(LdxMemW, R5, R1, 8, 0),        // r5 = ctx->minor
        };
        for (var i = rules.Count - 1; i >= 0; i--)
        {
            var rule = rules[i];
            program.AddRange(Block(rule));
            if (rule.Type == 'a' && rule.Major < 0 && rule.Minor < 0 && Access(rule.Access) == AccAll)
            {
                // Matches everything: the rules before it can never be reached.
                return program;
            }
        }
        program.Add(new Insn(Alu32MovK, R0, 0, 0, 0));
        program.Add(new Insn(JmpExit, 0, 0, 0, 0));
        return program;
    }

    private static List<Insn> Block(DeviceRule rule)
    {
        var block = new List<Insn>();
        if (rule.Type != 'a')
        {
            block.Add(new Insn(JmpJneK, R2, 0, 0, rule.Type == 'c' ? DevChar : DevBlock, Jump: true));
        }
        var access = Access(rule.Access);
        if (access != AccAll)
        {
            block.Add(new Insn(Alu32MovX, R1, R3, 0, 0));
            if (rule.Allow)
            {
                // Next rule unless every bit asked for is granted: (asked & ~granted) != 0.
                block.Add(new Insn(Alu32AndK, R1, 0, 0, ~access & AccAll));
                block.Add(new Insn(JmpJneK, R1, 0, 0, 0, Jump: true));
            }
            else
            {
                // Next rule unless some bit asked for is refused: (asked & refused) == 0.
                block.Add(new Insn(Alu32AndK, R1, 0, 0, access));
                block.Add(new Insn(JmpJeqK, R1, 0, 0, 0, Jump: true));
            }
        }
        if (rule.Major >= 0)
        {
            block.Add(new Insn(JmpJneK, R4, 0, 0, unchecked((int)(uint)rule.Major), Jump: true));
        }
        if (rule.Minor >= 0)
        {
            block.Add(new Insn(JmpJneK, R5, 0, 0, unchecked((int)(uint)rule.Minor), Jump: true));
        }
        block.Add(new Insn(Alu32MovK, R0, 0, 0, rule.Allow ? 1 : 0));
        block.Add(new Insn(JmpExit, 0, 0, 0, 0));
        for (var i = 0; i < block.Count; i++)
        {
            if (block[i].Jump)
            {
                block[i] = block[i] with { Off = (short)(block.Count - i - 1), Jump = false };
            }
        }
        return block;
    }

    private static int Access(string access)
    {
        var bits = 0;
        foreach (var c in access)
        {
            bits |= c switch
            {
                'r' => AccRead,
                'w' => AccWrite,
                'm' => AccMknod,
                _ => throw BerthException.InvalidArgument($"device rule access `{access}`: unknown `{c}`"),
            };
        }
        return bits;
    }

    internal static byte[] Encode(List<Insn> program)
    {
        var bytes = new byte[program.Count * 8];
        for (var i = 0; i < program.Count; i++)
        {
            var insn = program[i];
            var at = bytes.AsSpan(i * 8, 8);
            at[0] = insn.Code;
            at[1] = (byte)((insn.Src << 4) | (insn.Dst & 0x0F));
            BinaryPrimitives.WriteInt16LittleEndian(at[2..], insn.Off);
            BinaryPrimitives.WriteInt32LittleEndian(at[4..], insn.Imm);
        }
        return bytes;
    }
}
