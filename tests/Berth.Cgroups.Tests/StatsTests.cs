using System.Text.Json;
using System.Text.Json.Nodes;

namespace Berth.Cgroups.Tests;

public sealed class StatsTests
{
    [Fact]
    public void V1StatsFromKernelFiles()
    {
        using var tree = new FakeTree();
        tree.V1Tree("/c");
        const string cpu = "/sys/fs/cgroup/cpu,cpuacct/c";
        tree.File(cpu + "/cpuacct.usage", "2500000000\n");
        tree.File(cpu + "/cpuacct.usage_percpu", "1500000000 1000000000 \n");
        tree.File(cpu + "/cpuacct.stat", "user 150\nsystem 75\n");
        tree.File(cpu + "/cpuacct.usage_all", "cpu user system\n0 1000000000 500000000\n1 800000000 200000000\n");
        tree.File(cpu + "/cpu.stat", "nr_periods 10\nnr_throttled 2\nthrottled_time 3000\n");
        const string mem = "/sys/fs/cgroup/memory/c";
        tree.File(mem + "/memory.stat", "cache 4096\nrss 8192\ntotal_cache 4096\n");
        tree.File(mem + "/memory.usage_in_bytes", "12288\n");
        tree.File(mem + "/memory.max_usage_in_bytes", "20480\n");
        tree.File(mem + "/memory.limit_in_bytes", "9223372036854771712\n");
        tree.File(mem + "/memory.failcnt", "3\n");
        tree.File(mem + "/memory.memsw.usage_in_bytes", "16384\n");
        tree.File("/sys/fs/cgroup/pids/c/pids.current", "4\n");
        tree.File("/sys/fs/cgroup/pids/c/pids.max", "100\n");
        tree.File("/sys/fs/cgroup/blkio/c/blkio.bfq.io_serviced_recursive", "");
        tree.File("/sys/fs/cgroup/blkio/c/blkio.throttle.io_service_bytes_recursive", "8:0 Read 4096\n8:0 Write 512\n8:0 Sync 0\nTotal 4608\n");
        tree.File("/sys/fs/cgroup/blkio/c/blkio.throttle.io_serviced_recursive", "8:0 Read 1\n8:0 Write 1\nTotal 2\n");

        var stats = Cgroup.Open("/c", "c", tree.V1Options).Stats();

        Assert.Equal(2500000000UL, stats.Cpu.Usage!.Total);
        Assert.Equal([1500000000UL, 1000000000UL], stats.Cpu.Usage.Percpu);
        Assert.Equal([500000000UL, 200000000UL], stats.Cpu.Usage.PercpuKernel);
        Assert.Equal([1000000000UL, 800000000UL], stats.Cpu.Usage.PercpuUser);
        Assert.Equal(1500000000UL, stats.Cpu.Usage.User);
        Assert.Equal(750000000UL, stats.Cpu.Usage.Kernel);
        Assert.Equal(new CpuThrottling { Periods = 10, ThrottledPeriods = 2, ThrottledTime = 3000 }, stats.Cpu.Throttling);
        Assert.Equal(4096UL, stats.Memory.Cache);
        Assert.Equal(new MemoryEntry { Usage = 12288, Max = 20480, Limit = 9223372036854771712, Failcnt = 3 }, stats.Memory.Usage);
        Assert.Equal(16384UL, stats.Memory.Swap!.Usage);
        Assert.Null(stats.Memory.Kernel);
        Assert.Equal(8192UL, stats.Memory.Raw!["rss"]);
        Assert.Equal(new PidsStats { Current = 4, Limit = 100 }, stats.Pids);
        Assert.Equal(3, stats.Blkio.IoServiceBytesRecursive!.Count);
        Assert.Equal(new BlkioEntry { Major = 8, Minor = 0, Op = "Read", Value = 4096 }, stats.Blkio.IoServiceBytesRecursive[0]);
        Assert.Equal(2, stats.Blkio.IoServicedRecursive!.Count);
        Assert.Empty(stats.Hugetlb);
    }

    [Fact]
    public void V2StatsFromKernelFiles()
    {
        using var tree = new FakeTree();
        tree.V2Dir("");
        tree.V2Dir("/c");
        const string dir = "/sys/fs/cgroup/c";
        tree.File(dir + "/cpu.stat", "usage_usec 2000\nuser_usec 1500\nsystem_usec 500\nnr_periods 4\nnr_throttled 1\nthrottled_usec 70\nnr_bursts 0\nburst_usec 0\n");
        tree.File(dir + "/memory.stat", "anon 8192\nfile 4096\nkernel 1024\n");
        tree.File(dir + "/memory.current", "12288\n");
        tree.File(dir + "/memory.max", "1048576\n");
        tree.File(dir + "/memory.peak", "20000\n");
        tree.File(dir + "/memory.events", "low 0\nhigh 0\nmax 5\noom 0\noom_kill 0\n");
        tree.File(dir + "/memory.swap.current", "100\n");
        tree.File(dir + "/memory.swap.max", "max\n");
        tree.File(dir + "/pids.current", "3\n");
        tree.File(dir + "/pids.max", "max\n");
        tree.File(dir + "/io.stat", "8:0 rbytes=4096 wbytes=512 rios=1 wios=2 dbytes=0 dios=0\n253:1 rbytes=1 wbytes=0 rios=1 wios=0 dbytes=0 dios=0\n");
        tree.File(dir + "/hugetlb.2MB.current", "2097152\n");
        tree.File(dir + "/hugetlb.2MB.events", "max 1\n");
        tree.File(dir + "/hugetlb.2MB.rsvd.max", "max\n");

        var stats = Cgroup.Open("/c", "c", tree.V2Options).Stats();

        Assert.Equal(new CpuUsage { Total = 2000000, User = 1500000, Kernel = 500000 }, stats.Cpu.Usage);
        Assert.Equal(70000UL, stats.Cpu.Throttling!.ThrottledTime);
        Assert.Equal(4096UL, stats.Memory.Cache);
        Assert.Equal(new MemoryEntry { Usage = 12288, Limit = 1048576, Max = 20000, Failcnt = 5 }, stats.Memory.Usage);
        Assert.Equal(new MemoryEntry { Usage = 12388, Limit = ulong.MaxValue }, stats.Memory.Swap);
        Assert.Equal(new PidsStats { Current = 3, Limit = 0 }, stats.Pids);
        Assert.Equal(
            [new BlkioEntry { Major = 8, Op = "Read", Value = 4096 }, new BlkioEntry { Major = 8, Op = "Write", Value = 512 }, new BlkioEntry { Major = 253, Minor = 1, Op = "Read", Value = 1 }, new BlkioEntry { Major = 253, Minor = 1, Op = "Write" }],
            stats.Blkio.IoServiceBytesRecursive);
        Assert.Equal(["1GB", "2MB"], stats.Hugetlb.Keys.Order());
        Assert.Equal(new HugetlbStats { Usage = 2097152, Failcnt = 1 }, stats.Hugetlb["2MB"]);
    }

    [Fact]
    public void JsonUsesRuncEventNamesAndOmitsZeroes()
    {
        var stats = new CgroupStats
        {
            Cpu = new CpuStats { Usage = new CpuUsage { Total = 5, Percpu = [5], PercpuKernel = [1], PercpuUser = [4], Kernel = 1, User = 4 }, Throttling = new CpuThrottling { ThrottledPeriods = 1 } },
            Memory = new MemoryStats { Usage = new MemoryEntry { Limit = 10, Usage = 3 }, KernelTCP = new MemoryEntry { Limit = 1 }, Raw = new Dictionary<string, ulong> { ["cache"] = 0 } },
            Pids = new PidsStats { Current = 1 },
            Blkio = new BlkioStats { IoQueuedRecursive = [new BlkioEntry { Major = 8, Op = "Read" }] },
            Hugetlb = new Dictionary<string, HugetlbStats> { ["2MB"] = new() },
        };
        var json = JsonSerializer.Serialize(stats, CgroupStatsJsonContext.Default.CgroupStats);
        var expected = """
            {"cpu":{"usage":{"total":5,"percpu":[5],"percpu_kernel":[1],"percpu_user":[4],"kernel":1,"user":4},"throttling":{"throttledPeriods":1}},
             "memory":{"usage":{"limit":10,"usage":3,"failcnt":0},"kernelTCP":{"limit":1,"failcnt":0},"raw":{"cache":0}},
             "pids":{"current":1},
             "blkio":{"ioQueueRecursive":[{"major":8,"op":"Read"}]},
             "hugetlb":{"2MB":{"failcnt":0}}}
            """;
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(expected), JsonNode.Parse(json)), json);
    }

    [Fact]
    public void EmptyStatsSerializeLikeRunc()
    {
        var json = JsonSerializer.Serialize(new CgroupStats(), CgroupStatsJsonContext.Default.CgroupStats);
        Assert.Equal("""{"cpu":{},"memory":{},"pids":{},"blkio":{},"hugetlb":{}}""", json);
        var back = JsonSerializer.Deserialize("""{"cpu":{"usage":{"total":7,"kernel":0,"user":0}}}""", CgroupStatsJsonContext.Default.CgroupStats)!;
        Assert.Equal(7UL, back.Cpu.Usage!.Total);
    }
}
