using Berth.Cgroups.Devices;
using Berth.Oci.Runtime;

namespace Berth.Cgroups.Tests;

public sealed class DeviceFilterTests
{
    private static List<DeviceRule> Rules(params LinuxDeviceCgroup[] rules) => rules.Select(DeviceRule.From).ToList();

    /// <summary>Runs the program the way the kernel would, on one access, so the rules' meaning is tested and not just the bytes.</summary>
    private static bool Allows(byte[] program, char type, uint major, uint minor, string access)
    {
        var ctx = new uint[3];
        var acc = access.Sum(c => c switch { 'm' => 1, 'r' => 2, _ => 4 });
        ctx[0] = (uint)((acc << 16) | (type == 'c' ? 2 : 1));
        ctx[1] = major;
        ctx[2] = minor;
        var reg = new ulong[11];
        for (var pc = 0; pc < program.Length / 8; pc++)
        {
            var code = program[pc * 8];
            var dst = program[pc * 8 + 1] & 0xF;
            var src = program[pc * 8 + 1] >> 4;
            var off = BitConverter.ToInt16(program, pc * 8 + 2);
            var imm = BitConverter.ToInt32(program, pc * 8 + 4);
            switch (code)
            {
                case 0x61: Assert.Equal(1, src); reg[dst] = ctx[off / 4]; break;
                case 0x54: reg[dst] = (uint)reg[dst] & (uint)imm; break;
                case 0x74: reg[dst] = (uint)reg[dst] >> imm; break;
                case 0xbc: reg[dst] = (uint)reg[src]; break;
                case 0xb4: reg[dst] = (uint)imm; break;
                case 0x55: if (reg[dst] != (ulong)(long)imm) { pc += off; } break;
                case 0x15: if (reg[dst] == (ulong)(long)imm) { pc += off; } break;
                case 0x95: return reg[0] == 1;
                default: throw new InvalidOperationException($"opcode {code:x}");
            }
        }
        throw new InvalidOperationException("fell off the end");
    }

    private static readonly LinuxDeviceCgroup DenyAll = new() { Allow = false, Access = "rwm" };

    [Fact]
    public void DefaultDeniesAndAllowedDevicesPass()
    {
        var program = DeviceFilter.Build(Rules(DenyAll,
            new LinuxDeviceCgroup { Allow = true, Type = "c", Major = 1, Minor = 3, Access = "rwm" },
            new LinuxDeviceCgroup { Allow = true, Type = "c", Major = 136, Access = "rw" }));
        Assert.True(Allows(program, 'c', 1, 3, "rw"));
        Assert.True(Allows(program, 'c', 1, 3, "m"));
        Assert.False(Allows(program, 'b', 1, 3, "r"));
        Assert.False(Allows(program, 'c', 1, 5, "r"));
        Assert.True(Allows(program, 'c', 136, 7, "w"));
        Assert.False(Allows(program, 'c', 136, 7, "m"));
        Assert.False(Allows(program, 'c', 136, 7, "rm"));
    }

    [Fact]
    public void LaterRulesOverrideEarlierOnes()
    {
        var program = DeviceFilter.Build(Rules(
            new LinuxDeviceCgroup { Allow = true, Access = "rwm" },
            new LinuxDeviceCgroup { Allow = false, Type = "b", Major = 8, Access = "w" },
            new LinuxDeviceCgroup { Allow = true, Type = "b", Major = 8, Minor = 1, Access = "rw" }));
        Assert.True(Allows(program, 'c', 5, 5, "rwm"));
        Assert.True(Allows(program, 'b', 8, 0, "r"));
        Assert.False(Allows(program, 'b', 8, 0, "rw"));
        Assert.True(Allows(program, 'b', 8, 1, "rw"));
    }

    [Fact]
    public void RulesBeforeACatchAllAreDropped()
    {
        var many = DeviceFilter.Instructions(Rules(new LinuxDeviceCgroup { Allow = true, Type = "c", Major = 1, Minor = 3 }, DenyAll));
        var one = DeviceFilter.Instructions(Rules(DenyAll));
        Assert.Equal(one.Count, many.Count);
        Assert.False(Allows(DeviceFilter.Build(Rules(DenyAll)), 'c', 1, 3, "r"));
    }

    [Fact]
    public void EmptyRulesDenyEverything()
    {
        Assert.False(Allows(DeviceFilter.Build([]), 'c', 1, 3, "r"));
    }
}
