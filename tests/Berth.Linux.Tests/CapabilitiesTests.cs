using Berth.Errdefs;

namespace Berth.Linux.Tests;

public sealed class CapabilitiesTests
{
    [Fact]
    public void MaskSetsTheBitOfEachName()
    {
        var mask = Capabilities.Mask(["CAP_CHOWN", "CAP_KILL", "CAP_SYS_ADMIN", "CAP_CHECKPOINT_RESTORE"], 40);
        Assert.Equal((1UL << 0) | (1UL << 5) | (1UL << 21) | (1UL << 40), mask);
    }

    [Fact]
    public void MaskOfNothingIsZero()
    {
        Assert.Equal(0UL, Capabilities.Mask(null, 40));
        Assert.Equal(0UL, Capabilities.Mask([], 40));
    }

    [Theory]
    [InlineData("CAP_TEST")]
    [InlineData("CAP_")]
    [InlineData("")]
    [InlineData("SYS_ADMIN_")]
    [InlineData("CAP_SYS ADMIN")]
    public void MaskRejectsUnknownNames(string name)
    {
        var e = Assert.Throws<BerthException>(() => Capabilities.Mask(["CAP_KILL", name], 40));
        Assert.Equal(ErrorKind.InvalidArgument, e.Kind);
        Assert.Equal($"capability `{name}` is unknown", e.Message);
    }

    [Fact]
    public void MaskSkipsCapabilitiesTheKernelLacks()
    {
        // As runc: a known name above cap_last_cap is dropped, not an error.
        Assert.Equal(1UL << 21, Capabilities.Mask(["CAP_SYS_ADMIN", "CAP_BPF", "CAP_PERFMON"], 37));
    }

    [Theory]
    [InlineData("CAP_SYS_ADMIN", 21)]
    [InlineData("SYS_ADMIN", 21)]
    [InlineData("cap_sys_admin", 21)]
    [InlineData("sys_admin", 21)]
    [InlineData("CAP_CHOWN", 0)]
    [InlineData("CAP_CHECKPOINT_RESTORE", 40)]
    [InlineData("CAP_NOPE", -1)]
    public void IndexOfAcceptsNamesWithoutThePrefixAndInAnyCase(string name, int expected) =>
        Assert.Equal(expected, Capabilities.IndexOf(name));

    [Fact]
    public void NamesAreUniqueAndPrefixed()
    {
        Assert.Equal(Capabilities.Names.Count, Capabilities.Names.Distinct().Count());
        Assert.All(Capabilities.Names, n => Assert.StartsWith("CAP_", n));
    }

    [Fact]
    public void LastCapIsTheKernelsOrOurs()
    {
        var last = Capabilities.LastCap();
        Assert.InRange(last, 30, 63);
        if (File.Exists("/proc/sys/kernel/cap_last_cap"))
            Assert.Equal(int.Parse(File.ReadAllText("/proc/sys/kernel/cap_last_cap").Trim()), last);
    }
}
