using System.Text.Json;
using Berth.Cli.Commands;
using Berth.Engine.Containers;

namespace Berth.Cli.Tests.Commands;

public sealed class StatsMathTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 28, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void ReadsRuncEventsStats()
    {
        using var doc = JsonDocument.Parse("""
            {"cpu":{"usage":{"total":2000000000,"percpu":[1,2],"kernel":5,"user":6}},
             "memory":{"usage":{"usage":10485760,"limit":9223372036854771712},"stats":{"inactive_file":2097152}},
             "pids":{"current":3},
             "blkio":{"ioServiceBytesRecursive":[{"major":8,"op":"Read","value":4096},{"major":8,"op":"Write","value":1000000},{"op":"Total","value":1}]}}
            """);
        var s = ContainerStats.FromRuntime(doc.RootElement, T0);
        Assert.Equal(2000000000UL, s.CpuTotal);
        Assert.Equal(8388608UL, s.MemoryUsage);
        Assert.Equal(3UL, s.Pids);
        Assert.Equal(4096UL, s.BlockRead);
        Assert.Equal(1000000UL, s.BlockWrite);
    }

    [Fact]
    public void MissingFieldsAreZero()
    {
        using var doc = JsonDocument.Parse("""{"cpu":{},"memory":{}}""");
        var s = ContainerStats.FromRuntime(doc.RootElement, T0);
        Assert.Equal(0UL, s.CpuTotal + s.MemoryUsage + s.MemoryLimit + s.Pids + s.BlockRead + s.BlockWrite);
    }

    [Theory]
    [InlineData(0UL, 500_000_000UL, 1.0, 50.0)]      // half a CPU for a second
    [InlineData(0UL, 2_000_000_000UL, 1.0, 200.0)]   // two CPUs busy
    [InlineData(100UL, 100UL, 1.0, 0.0)]
    [InlineData(0UL, 250_000_000UL, 0.5, 50.0)]
    public void CpuPercentIsCpuTimeOverWallTime(ulong before, ulong after, double seconds, double expected)
    {
        var previous = new ContainerStats { Read = T0, CpuTotal = before };
        var current = new ContainerStats { Read = T0.AddSeconds(seconds), CpuTotal = after };
        Assert.Equal(expected, ContainerStats.CpuPercent(previous, current), 6);
    }

    [Fact]
    public void CpuPercentWithoutAPreviousSampleIsZero() =>
        Assert.Equal(0, ContainerStats.CpuPercent(null, new ContainerStats { Read = T0, CpuTotal = 5 }));

    [Theory]
    [InlineData(0UL, 8_000UL, 8_000UL)]
    [InlineData(9223372036854771712UL, 8_000UL, 8_000UL)]
    [InlineData(4_000UL, 8_000UL, 4_000UL)]
    public void UnlimitedMemoryIsTheHostsMemory(ulong cgroup, ulong host, ulong expected) =>
        Assert.Equal(expected, ContainerStats.EffectiveLimit(cgroup, host));

    [Fact]
    public void ColumnsAreFormattedAsDocker()
    {
        var previous = new ContainerStats { Read = T0, CpuTotal = 0 };
        var current = new ContainerStats
        {
            Read = T0.AddSeconds(1), CpuTotal = 12_345_678, MemoryUsage = 1536 * 1024, MemoryLimit = 0, Pids = 2,
            BlockRead = 4096, BlockWrite = 1_500_000,
        };
        var t = StatsCommand.Texts(previous, current, 8UL * 1024 * 1024 * 1024);
        Assert.Equal("1.23%", t.CpuPerc);
        Assert.Equal("1.5MiB / 8GiB", t.MemUsage);
        Assert.Equal("0.02%", t.MemPerc);
        Assert.Equal("0B / 0B", t.NetIO);
        Assert.Equal("4.1kB / 1.5MB", t.BlockIO);
        Assert.Equal("2", t.Pids);
    }

    [Fact]
    public void NoSampleIsAllZeros()
    {
        var t = StatsCommand.Texts(null, null, 1024);
        Assert.Equal(("0.00%", "0B / 0B", "0.00%", "0B / 0B", "0B / 0B", "0"), t);
    }
}
