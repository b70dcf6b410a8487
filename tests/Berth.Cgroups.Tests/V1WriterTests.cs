using Berth.Errdefs;
using Berth.Oci.Runtime;

namespace Berth.Cgroups.Tests;

public sealed class V1WriterTests
{
    private const string Inner = "/berth/c1";
    private const string Memory = "/sys/fs/cgroup/memory/berth/c1";
    private const string Cpu = "/sys/fs/cgroup/cpu,cpuacct/berth/c1";

    private static (FakeTree Tree, ICgroup Cgroup) Open(bool precreate = true)
    {
        var tree = new FakeTree();
        tree.V1Tree(precreate ? Inner : null);
        return (tree, Cgroup.Open(Inner, "c1", tree.V1Options));
    }

    [Fact]
    public void LimitsGoToTheirControllers()
    {
        var (tree, cgroup) = Open();
        using var _ = tree;
        cgroup.Create(new LinuxResources
        {
            Memory = new LinuxMemory { Limit = 512 << 20, Reservation = 256 << 20, Swappiness = 10, DisableOOMKiller = true },
            Cpu = new LinuxCpu { Shares = 512, Quota = 50000, Period = 100000, Cpus = "0-1", Mems = "0" },
            Pids = new LinuxPids { Limit = 100 },
            BlockIO = new LinuxBlockIO
            {
                Weight = 300,
                ThrottleReadBpsDevice = [new LinuxThrottleDevice { Major = 8, Minor = 0, Rate = 1048576 }],
                ThrottleWriteIOPSDevice = [new LinuxThrottleDevice { Major = 8, Minor = 0, Rate = 100 }],
            },
        });
        Assert.Equal("536870912", tree.Read(Memory + "/memory.limit_in_bytes"));
        Assert.Equal("268435456", tree.Read(Memory + "/memory.soft_limit_in_bytes"));
        Assert.Equal("10", tree.Read(Memory + "/memory.swappiness"));
        Assert.Equal("1", tree.Read(Memory + "/memory.oom_control"));
        Assert.Equal(["cpu.shares=512", "cpu.cfs_period_us=100000", "cpu.cfs_quota_us=50000"], tree.WritesUnder(Cpu));
        Assert.Equal("0-1", tree.Read("/sys/fs/cgroup/cpuset/berth/c1/cpuset.cpus"));
        Assert.Equal("100", tree.Read("/sys/fs/cgroup/pids/berth/c1/pids.max"));
        // This kernel's blkio only has BFQ's weight file.
        Assert.Equal(
            ["blkio.bfq.weight=300", "blkio.throttle.read_bps_device=8:0 1048576", "blkio.throttle.write_iops_device=8:0 100"],
            tree.WritesUnder("/sys/fs/cgroup/blkio/berth/c1"));
    }

    [Fact]
    public void RaisingMemoryWritesSwapFirstAndLoweringWritesLimitFirst()
    {
        var (tree, cgroup) = Open();
        using var _ = tree;
        tree.File(Memory + "/memory.limit_in_bytes", "268435456\n");
        cgroup.Update(new LinuxResources { Memory = new LinuxMemory { Limit = 512 << 20, Swap = 1024 << 20 } });
        Assert.Equal(["memory.memsw.limit_in_bytes=1073741824", "memory.limit_in_bytes=536870912"], tree.WritesUnder(Memory));

        tree.Writes.Clear();
        cgroup.Update(new LinuxResources { Memory = new LinuxMemory { Limit = 128 << 20, Swap = 256 << 20 } });
        Assert.Equal(["memory.limit_in_bytes=134217728", "memory.memsw.limit_in_bytes=268435456"], tree.WritesUnder(Memory));
    }

    [Fact]
    public void UnlimitedMemoryMakesSwapUnlimitedToo()
    {
        var (tree, cgroup) = Open();
        using var _ = tree;
        cgroup.Update(new LinuxResources { Memory = new LinuxMemory { Limit = -1 } });
        Assert.Equal(["memory.memsw.limit_in_bytes=-1", "memory.limit_in_bytes=-1"], tree.WritesUnder(Memory));
    }

    [Fact]
    public void SwapIsIgnoredWithoutSwapAccounting()
    {
        var (tree, cgroup) = Open();
        using var _ = tree;
        File.Delete(tree.Abs(Memory + "/memory.memsw.limit_in_bytes"));
        cgroup.Update(new LinuxResources { Memory = new LinuxMemory { Limit = 100 << 20, Swap = 200 << 20, Kernel = 1 << 20 } });
        Assert.Equal(["memory.limit_in_bytes=104857600"], tree.WritesUnder(Memory));
    }

    [Fact]
    public void PeriodRetriedAfterQuotaWhenKernelRefusesIt()
    {
        // Quota -1 means unlimited; a period alone still goes to the period file.
        var (tree, cgroup) = Open();
        using var _ = tree;
        cgroup.Update(new LinuxResources { Cpu = new LinuxCpu { Quota = -1, Period = 50000, RealtimePeriod = 1000000, RealtimeRuntime = 950000, Burst = 1000 } });
        Assert.Equal(
            ["cpu.cfs_period_us=50000", "cpu.cfs_quota_us=-1", "cpu.cfs_burst_us=1000", "cpu.rt_period_us=1000000", "cpu.rt_runtime_us=950000"],
            tree.WritesUnder(Cpu));
    }

    [Fact]
    public void PidsZeroOrNegativeMeansMax()
    {
        var (tree, cgroup) = Open();
        using var _ = tree;
        cgroup.Update(new LinuxResources { Pids = new LinuxPids { Limit = 0 } });
        cgroup.Update(new LinuxResources { Pids = new LinuxPids { Limit = -1 } });
        Assert.Equal(["pids.max=max", "pids.max=max"], tree.WritesUnder("/sys/fs/cgroup/pids/berth/c1"));
    }

    [Fact]
    public void DevicesDenyAllThenRulesInOrder()
    {
        var (tree, cgroup) = Open();
        using var _ = tree;
        cgroup.Update(new LinuxResources
        {
            Devices =
            [
                new LinuxDeviceCgroup { Allow = false, Access = "rwm" },
                new LinuxDeviceCgroup { Allow = true, Type = "c", Major = 1, Minor = 3, Access = "rwm" },
                new LinuxDeviceCgroup { Allow = true, Type = "c", Major = 136, Access = "rw" },
                new LinuxDeviceCgroup { Allow = false, Type = "b", Major = 8, Minor = 0, Access = "w" },
            ],
        });
        Assert.Equal(
            ["devices.deny=a", "devices.deny=a *:* rwm", "devices.allow=c 1:3 rwm", "devices.allow=c 136:* rw", "devices.deny=b 8:0 w"],
            tree.WritesUnder("/sys/fs/cgroup/devices/berth/c1"));
    }

    [Theory]
    [InlineData("x", "rwm")]
    [InlineData("c", "rwx")]
    [InlineData("c", "rr")]
    public void BadDeviceRulesAreRejectedBeforeAnyWrite(string type, string access)
    {
        var (tree, cgroup) = Open();
        using var _ = tree;
        var e = Assert.Throws<BerthException>(() => cgroup.Update(new LinuxResources { Devices = [new LinuxDeviceCgroup { Allow = true, Type = type, Access = access }] }));
        Assert.Equal(ErrorKind.InvalidArgument, e.Kind);
        Assert.Empty(tree.Writes);
    }

    [Fact]
    public void CreateCopiesCpusetFromParentIntoEveryNewLevel()
    {
        var (tree, cgroup) = Open(precreate: false);
        using var _ = tree;
        cgroup.Create(null);
        // mkdir in a temp dir gives no kernel files, so the fake has nothing to fill: only directories appear.
        Assert.True(Directory.Exists(tree.Abs("/sys/fs/cgroup/cpuset/berth/c1")));
        Assert.True(Directory.Exists(tree.Abs("/sys/fs/cgroup/unified/berth/c1")));
        Assert.True(Directory.Exists(tree.Abs("/sys/fs/cgroup/systemd/berth/c1")));

        using var tree2 = new FakeTree();
        tree2.V1Tree();
        tree2.V1Dir("cpuset", "/berth");
        tree2.V1Dir("cpuset", "/berth/c1");
        Cgroup.Open(Inner, "c1", tree2.V1Options).Create(null);
        Assert.Equal("0-3", tree2.Read("/sys/fs/cgroup/cpuset/berth/c1/cpuset.cpus"));
        Assert.Equal("0", tree2.Read("/sys/fs/cgroup/cpuset/berth/c1/cpuset.mems"));
        Assert.Equal(
            ["berth/cpuset.cpus=0-3", "berth/cpuset.mems=0", "berth/c1/cpuset.cpus=0-3", "berth/c1/cpuset.mems=0"],
            tree2.WritesUnder("/sys/fs/cgroup/cpuset"));
    }

    [Fact]
    public void HugetlbWithoutItsControllerIsAClearError()
    {
        var (tree, cgroup) = Open();
        using var _ = tree;
        var e = Assert.Throws<BerthException>(() => cgroup.Create(new LinuxResources { HugepageLimits = [new LinuxHugepageLimit { PageSize = "2MB", Limit = 1 << 21 }] }));
        Assert.Equal(ErrorKind.FailedPrecondition, e.Kind);
        Assert.Equal("create cgroup: set hugetlb limit `2MB`: the `hugetlb` cgroup controller is not mounted", e.Message);
    }

    [Fact]
    public void UnifiedGoesToTheHybridDirectoryOnlyWhereTheFileExists()
    {
        var (tree, cgroup) = Open();
        using var _ = tree;
        tree.File("/sys/fs/cgroup/unified/berth/c1/hugetlb.2MB.max", "max\n");
        cgroup.Update(new LinuxResources { Unified = new Dictionary<string, string> { ["hugetlb.2MB.max"] = "4194304" } });
        Assert.Equal("4194304", tree.Read("/sys/fs/cgroup/unified/berth/c1/hugetlb.2MB.max"));
        var e = Assert.Throws<BerthException>(() => cgroup.Update(new LinuxResources { Unified = new Dictionary<string, string> { ["memory.max"] = "1" } }));
        Assert.Equal(ErrorKind.InvalidArgument, e.Kind);
        Assert.Contains("`memory.max`", e.Message);
    }

    [Fact]
    public void UnifiedOnPureV1IsAnError()
    {
        using var tree = new FakeTree();
        tree.V1Tree(Inner);
        var mountInfo = string.Join('\n', FakeTree.V1MountInfo.Split('\n').Where(l => !l.Contains("cgroup2")));
        var cgroup = Cgroup.Open(Inner, "c1", tree.Options(mountInfo, FakeTree.V1SelfCgroup));
        Assert.Null(cgroup.Paths.Unified);
        var e = Assert.Throws<BerthException>(() => cgroup.Update(new LinuxResources { Unified = new Dictionary<string, string> { ["memory.max"] = "1" } }));
        Assert.Equal(ErrorKind.InvalidArgument, e.Kind);
    }

    [Fact]
    public void AddProcessWritesEveryHierarchyIncludingHybridUnified()
    {
        var (tree, cgroup) = Open();
        using var _ = tree;
        cgroup.AddProcess(4242);
        var procs = tree.Writes.Where(w => w.File.EndsWith("/cgroup.procs")).Select(w => w.File).ToList();
        Assert.Equal(FakeTree.V1Mounts.Length, procs.Count);
        Assert.Contains("/sys/fs/cgroup/unified/berth/c1/cgroup.procs", procs);
        Assert.Contains("/sys/fs/cgroup/systemd/berth/c1/cgroup.procs", procs);
        Assert.All(tree.Writes, w => Assert.Equal("4242", w.Value));
    }

    [Fact]
    public void PidsAreReadRecursively()
    {
        var (tree, cgroup) = Open();
        using var _ = tree;
        tree.File("/sys/fs/cgroup/devices/berth/c1/cgroup.procs", "10\n11\n");
        tree.File("/sys/fs/cgroup/devices/berth/c1/sub/cgroup.procs", "12\n");
        Assert.Equal([10, 11, 12], cgroup.Pids());
    }

    [Fact]
    public void FreezeWritesFrozenAndThawWritesThawed()
    {
        var (tree, cgroup) = Open();
        using var _ = tree;
        // A regular file echoes what was written, so FROZEN reads back at once.
        cgroup.Freeze();
        Assert.False(cgroup.IsFrozen()); // frozen only through a parent: self_freezing is 0
        tree.File("/sys/fs/cgroup/freezer/berth/c1/freezer.self_freezing", "1\n");
        Assert.True(cgroup.IsFrozen());
        cgroup.Thaw();
        Assert.False(cgroup.IsFrozen());
    }

    [Fact]
    public void LoadReopensTheSameDirectories()
    {
        var (tree, cgroup) = Open();
        using var _ = tree;
        var again = Cgroup.Load(cgroup.Paths, tree.V1Options);
        Assert.Equal(cgroup.Paths.Controllers, again.Paths.Controllers);
        again.Update(new LinuxResources { Pids = new LinuxPids { Limit = 7 } });
        Assert.Equal("7", tree.Read("/sys/fs/cgroup/pids/berth/c1/pids.max"));
    }

    [Fact]
    public void WriteErrorsNameValueAndFile()
    {
        var (tree, cgroup) = Open();
        using var _ = tree;
        File.Delete(tree.Abs("/sys/fs/cgroup/pids/berth/c1/pids.max"));
        var e = Assert.Throws<BerthException>(() => cgroup.Update(new LinuxResources { Pids = new LinuxPids { Limit = 5 } }));
        Assert.Equal(ErrorKind.NotFound, e.Kind);
        Assert.Equal($"update cgroup: write `5` to `{tree.Abs("/sys/fs/cgroup/pids/berth/c1/pids.max")}`: no such file or directory", e.Message);
    }
}
