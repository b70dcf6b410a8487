using Berth.Errdefs;
using Berth.Oci.Runtime;

namespace Berth.Cgroups.Tests;

/// <summary>The v2 writer against a fake unified tree (this machine is hybrid, so no real pure-v2 host is available).</summary>
public sealed class V2WriterTests
{
    private const string Dir = "/sys/fs/cgroup/berth/c1";

    private static (FakeTree Tree, ICgroup Cgroup) Open()
    {
        var tree = new FakeTree();
        tree.V2Dir("");
        tree.V2Dir("/berth", leaf: false);
        tree.V2Dir("/berth/c1");
        return (tree, Cgroup.Open("/berth/c1", "c1", tree.V2Options));
    }

    [Fact]
    public void CreateEnablesControllersDownTheTreeThenWritesLimits()
    {
        var (tree, cgroup) = Open();
        using var _ = tree;
        Assert.True(cgroup.Paths.IsV2);
        cgroup.Create(new LinuxResources
        {
            Memory = new LinuxMemory { Limit = 512 << 20, Swap = 768 << 20, Reservation = 128 << 20, Swappiness = 10, DisableOOMKiller = true },
            Cpu = new LinuxCpu { Shares = 1024, Quota = 50000, Period = 100000, Burst = 10000, Cpus = "0-1", Mems = "0" },
            Pids = new LinuxPids { Limit = 64 },
            BlockIO = new LinuxBlockIO
            {
                Weight = 500,
                ThrottleReadBpsDevice = [new LinuxThrottleDevice { Major = 8, Minor = 0, Rate = 1048576 }],
                ThrottleWriteIOPSDevice = [new LinuxThrottleDevice { Major = 8, Minor = 16, Rate = 50 }],
            },
            HugepageLimits = [new LinuxHugepageLimit { PageSize = "2MB", Limit = 4 << 20 }],
        });
        const string plus = "+cpuset +cpu +io +memory +hugetlb +pids";
        Assert.Equal(["cgroup.subtree_control=" + plus], tree.WritesUnder("/sys/fs/cgroup").Where(w => !w.Contains('/')).ToList());
        Assert.Equal(["cgroup.subtree_control=" + plus], tree.WritesUnder("/sys/fs/cgroup/berth").Where(w => !w.Contains('/')).ToList());
        Assert.Equal(
        [
            "pids.max=64",
            "memory.swap.max=268435456",
            "memory.max=536870912",
            "memory.low=134217728",
            "io.weight=4950",
            "io.max=8:0 rbps=1048576",
            "io.max=8:16 wiops=50",
            "cpu.weight=39",
            "cpu.max.burst=10000",
            "cpu.max=50000 100000",
            "cpuset.cpus=0-1",
            "cpuset.mems=0",
            "hugetlb.2MB.max=4194304",
        ], tree.WritesUnder(Dir));
    }

    [Theory]
    [InlineData(-1L, null, "max 100000")]
    [InlineData(-1L, 50000UL, "max 50000")]
    [InlineData(20000L, null, "20000 100000")]
    [InlineData(null, 250000UL, "max 250000")]
    public void CpuMax(long? quota, ulong? period, string expected)
    {
        var (tree, cgroup) = Open();
        using var _ = tree;
        cgroup.Update(new LinuxResources { Cpu = new LinuxCpu { Quota = quota, Period = period } });
        Assert.Equal(["cpu.max=" + expected], tree.WritesUnder(Dir));
    }

    [Fact]
    public void UnlimitedMemoryAndSwap()
    {
        var (tree, cgroup) = Open();
        using var _ = tree;
        cgroup.Update(new LinuxResources { Memory = new LinuxMemory { Limit = -1 } });
        Assert.Equal(["memory.swap.max=max", "memory.max=max"], tree.WritesUnder(Dir));
        tree.Writes.Clear();
        cgroup.Update(new LinuxResources { Memory = new LinuxMemory { Limit = 100, Swap = 100 } });
        Assert.Equal(["memory.swap.max=0", "memory.max=100"], tree.WritesUnder(Dir));
    }

    [Fact]
    public void SwapWithoutAccountingIsOnlyAcceptedWhenItAsksForNothing()
    {
        var (tree, cgroup) = Open();
        using var _ = tree;
        File.Delete(tree.Abs(Dir + "/memory.swap.max"));
        cgroup.Update(new LinuxResources { Memory = new LinuxMemory { Limit = 100, Swap = -1 } });
        Assert.Equal(["memory.max=100"], tree.WritesUnder(Dir));
        var e = Assert.Throws<BerthException>(() => cgroup.Update(new LinuxResources { Memory = new LinuxMemory { Limit = 100, Swap = 300 } }));
        Assert.Contains("memory.swap.max", e.Message);
    }

    [Fact]
    public void BfqTakesBlkioWeightsAsTheyAre()
    {
        var (tree, cgroup) = Open();
        using var _ = tree;
        tree.File(Dir + "/io.bfq.weight", "default 100\n");
        cgroup.Update(new LinuxResources { BlockIO = new LinuxBlockIO { Weight = 500, WeightDevice = [new LinuxWeightDevice { Major = 8, Minor = 0, Weight = 200 }] } });
        Assert.Equal(["io.bfq.weight=500", "io.bfq.weight=8:0 200"], tree.WritesUnder(Dir));
    }

    [Fact]
    public void UpdateEnablesControllersItNewlyNeedsButCreatesNothing()
    {
        var (tree, cgroup) = Open();
        using var _ = tree;
        tree.File("/sys/fs/cgroup/berth/cgroup.subtree_control", "cpu io memory pids\n");
        tree.File("/sys/fs/cgroup/cgroup.subtree_control", "cpu io memory pids\n");
        cgroup.Update(new LinuxResources { HugepageLimits = [new LinuxHugepageLimit { PageSize = "1GB", Limit = 1 << 30 }] });
        Assert.Equal(["cgroup.subtree_control=+hugetlb", "berth/cgroup.subtree_control=+hugetlb", "berth/c1/hugetlb.1GB.max=1073741824"], tree.WritesUnder("/sys/fs/cgroup"));

        var gone = Cgroup.Load(new CgroupPaths { Unified = tree.Abs("/sys/fs/cgroup/other/c2") }, tree.V2Options);
        Assert.Throws<Berth.Errdefs.BerthException>(() => gone.Update(new LinuxResources { Pids = new LinuxPids { Limit = 1 } }));
        Assert.False(Directory.Exists(tree.Abs("/sys/fs/cgroup/other")));
    }

    [Fact]
    public void UnifiedIsWrittenRawAndLast()
    {
        var (tree, cgroup) = Open();
        using var _ = tree;
        cgroup.Update(new LinuxResources
        {
            Pids = new LinuxPids { Limit = 10 },
            Unified = new Dictionary<string, string> { ["pids.max"] = "20", ["memory.oom.group"] = "1" },
        });
        Assert.Equal(["pids.max=10", "pids.max=20", "memory.oom.group=1"], tree.WritesUnder(Dir));
    }

    [Theory]
    [InlineData("memory.nonexistent", ErrorKind.NotFound)]
    [InlineData("../escape", ErrorKind.InvalidArgument)]
    [InlineData("cgroup.procs", ErrorKind.InvalidArgument)]
    public void BadUnifiedKeys(string key, ErrorKind kind)
    {
        var (tree, cgroup) = Open();
        using var _ = tree;
        var e = Assert.Throws<BerthException>(() => cgroup.Update(new LinuxResources { Unified = new Dictionary<string, string> { [key] = "1" } }));
        Assert.Equal(kind, e.Kind);
        Assert.Contains($"`{key}`", e.Message);
    }

    [Fact]
    public void MissingControllerIsNamed()
    {
        var (tree, cgroup) = Open();
        using var _ = tree;
        // As the kernel shows it when the parent did not enable pids: no pids files.
        tree.File(Dir + "/cgroup.controllers", "cpu memory\n");
        File.Delete(tree.Abs(Dir + "/pids.max"));
        var e = Assert.Throws<BerthException>(() => cgroup.Update(new LinuxResources { Pids = new LinuxPids { Limit = 5 } }));
        Assert.Equal(ErrorKind.FailedPrecondition, e.Kind);
        Assert.Contains("the `pids` controller is not enabled", e.Message);
    }

    [Fact]
    public void RealtimeIsRefusedOnV2()
    {
        var (tree, cgroup) = Open();
        using var _ = tree;
        var e = Assert.Throws<BerthException>(() => cgroup.Update(new LinuxResources { Cpu = new LinuxCpu { RealtimeRuntime = 1000 } }));
        Assert.Equal(ErrorKind.InvalidArgument, e.Kind);
    }

    [Fact]
    public void FreezeWaitsForFrozenEvent()
    {
        var (tree, cgroup) = Open();
        using var _ = tree;
        // cgroup.events never says frozen in a fake tree: the freeze times out and thaws.
        var e = Assert.Throws<BerthException>(cgroup.Freeze);
        Assert.Equal(ErrorKind.Unavailable, e.Kind);
        Assert.Equal(["cgroup.freeze=1", "cgroup.freeze=0"], tree.WritesUnder(Dir));

        tree.File(Dir + "/cgroup.events", "populated 1\nfrozen 1\n");
        cgroup.Freeze();
        Assert.True(cgroup.IsFrozen());
        cgroup.Thaw();
        Assert.False(cgroup.IsFrozen());
    }

    [Fact]
    public void CreateRefusesAPathOutsideACgroup2Tree()
    {
        using var tree = new FakeTree();
        var cgroup = Cgroup.Load(new CgroupPaths { Unified = tree.Abs("/not/a/cgroup") }, tree.V2Options);
        var e = Assert.Throws<BerthException>(() => cgroup.Create(null));
        Assert.Equal(ErrorKind.FailedPrecondition, e.Kind);
    }

    [Fact]
    public void CreateMakesMissingLevels()
    {
        using var tree = new FakeTree();
        tree.V2Dir("");
        var cgroup = Cgroup.Open("/a/b/c", "c", tree.V2Options);
        cgroup.Create(null);
        Assert.True(Directory.Exists(tree.Abs("/sys/fs/cgroup/a/b/c")));
        Assert.Equal(tree.Abs("/sys/fs/cgroup/a/b/c"), cgroup.Paths.Unified);
    }

    [Fact]
    public void DeviceRulesAreValidatedEvenWithoutAttaching()
    {
        var (tree, cgroup) = Open();
        using var _ = tree;
        cgroup.Update(new LinuxResources { Devices = [new LinuxDeviceCgroup { Allow = false, Access = "rwm" }, new LinuxDeviceCgroup { Allow = true, Type = "c", Major = 1, Minor = 3, Access = "rwm" }] });
        Assert.Throws<BerthException>(() => cgroup.Update(new LinuxResources { Devices = [new LinuxDeviceCgroup { Allow = true, Type = "q" }] }));
    }
}
