using Berth.Oci.Runtime;

namespace Berth.Cgroups.Tests;

/// <summary>Against this machine's real cgroup v1 hierarchies (hybrid: a cgroup2 mount beside them).</summary>
public sealed class V1IntegrationTests
{
    private static string Kernel(string controller, string name, string file) =>
        File.ReadAllText($"/sys/fs/cgroup/{controller}{name}/{file}").Trim();

    [RootFact]
    public void LimitsProcessesFreezeStatsAndDestroy()
    {
        string[] dirs;
        using (var live = new LiveCgroup(name => Cgroup.Open(name, "test")))
        {
            var cgroup = live.Cgroup;
            dirs = [.. cgroup.Paths.Controllers.Values.Distinct(), cgroup.Paths.Unified!];
            Assert.Equal(CgroupMode.Hybrid, Cgroup.DetectMode());
            Assert.Equal("/sys/fs/cgroup/memory" + live.Name, cgroup.Paths.Controllers["memory"]);

            cgroup.Create(new LinuxResources
            {
                Memory = new LinuxMemory { Limit = 256 << 20, Reservation = 128 << 20, Swap = 512 << 20 },
                Cpu = new LinuxCpu { Shares = 512, Quota = 50000, Period = 100000, Cpus = "0", Mems = "0" },
                Pids = new LinuxPids { Limit = 50 },
                Devices =
                [
                    new LinuxDeviceCgroup { Allow = false, Access = "rwm" },
                    new LinuxDeviceCgroup { Allow = true, Type = "c", Major = 1, Minor = 3, Access = "rwm" },
                    new LinuxDeviceCgroup { Allow = true, Type = "c", Major = 1, Minor = 5, Access = "rw" },
                ],
            });
            Assert.All(dirs, d => Assert.True(Directory.Exists(d), d));
            Assert.Equal("268435456", Kernel("memory", live.Name, "memory.limit_in_bytes"));
            Assert.Equal("134217728", Kernel("memory", live.Name, "memory.soft_limit_in_bytes"));
            Assert.Equal("536870912", Kernel("memory", live.Name, "memory.memsw.limit_in_bytes"));
            Assert.Equal("512", Kernel("cpu", live.Name, "cpu.shares"));
            Assert.Equal("50000", Kernel("cpu", live.Name, "cpu.cfs_quota_us"));
            Assert.Equal("100000", Kernel("cpu", live.Name, "cpu.cfs_period_us"));
            Assert.Equal("0", Kernel("cpuset", live.Name, "cpuset.cpus"));
            Assert.Equal("0", Kernel("cpuset", live.Name, "cpuset.mems"));
            Assert.Equal("50", Kernel("pids", live.Name, "pids.max"));
            Assert.Equal(["c 1:3 rwm", "c 1:5 rw"], Kernel("devices", live.Name, "devices.list").Split('\n'));

            // Lowering memory below memsw, then raising both past the old memsw, must both work.
            cgroup.Update(new LinuxResources { Memory = new LinuxMemory { Limit = 64 << 20, Swap = 128 << 20 } });
            Assert.Equal("67108864", Kernel("memory", live.Name, "memory.limit_in_bytes"));
            cgroup.Update(new LinuxResources { Memory = new LinuxMemory { Limit = 1024L << 20, Swap = 2048L << 20 } });
            Assert.Equal("1073741824", Kernel("memory", live.Name, "memory.limit_in_bytes"));
            Assert.Equal("2147483648", Kernel("memory", live.Name, "memory.memsw.limit_in_bytes"));
            cgroup.Update(new LinuxResources { Pids = new LinuxPids { Limit = -1 } });
            Assert.Equal("max", Kernel("pids", live.Name, "pids.max"));

            var process = live.StartWaiting();
            cgroup.AddProcess(process.Id);
            LiveCgroup.Go(process);
            Assert.Contains(process.Id, cgroup.Pids());
            var procCgroup = File.ReadAllText($"/proc/{process.Id}/cgroup");
            Assert.Contains(":memory:" + live.Name + "\n", procCgroup);
            Assert.Contains("0::" + live.Name + "\n", procCgroup);

            // Reopened from saved paths, as a later `berth-runtime pause` would.
            var again = Cgroup.Load(cgroup.Paths);
            again.Freeze();
            Assert.True(again.IsFrozen());
            Assert.Equal("FROZEN", Kernel("freezer", live.Name, "freezer.state"));
            again.Thaw();
            Assert.False(again.IsFrozen());

            var deadline = DateTime.UtcNow.AddSeconds(5);
            CgroupStats stats;
            do
            {
                stats = cgroup.Stats();
            }
            while ((stats.Memory.Usage?.Usage ?? 0) == 0 && DateTime.UtcNow < deadline && Sleep());
            Assert.True(stats.Memory.Usage!.Usage > 0, "memory usage");
            Assert.Equal(1073741824UL, stats.Memory.Usage.Limit);
            Assert.Equal(1UL, stats.Pids.Current);
            Assert.NotNull(stats.Cpu.Usage);
            Assert.NotNull(stats.Memory.Raw);

            process.Kill();
            process.WaitForExit(5000);
            cgroup.Destroy();
            Assert.All(dirs, d => Assert.False(Directory.Exists(d), d));
            cgroup.Destroy(); // already gone: not an error
        }
        Assert.All(dirs, d => Assert.False(Directory.Exists(d), d));
    }

    private static bool Sleep()
    {
        Thread.Sleep(50);
        return true;
    }

    [RootFact]
    public void NestedPathGetsCpusetAtEveryLevel()
    {
        var top = "/berth-test-" + Guid.NewGuid().ToString("N")[..10];
        var cgroup = Cgroup.Open(top + "/a/b", "b");
        using var live = new LiveCgroup(_ => Cgroup.Open(top, "top"));
        cgroup.Create(null);
        {
            Assert.Equal(File.ReadAllText("/sys/fs/cgroup/cpuset/cpuset.cpus"), File.ReadAllText($"/sys/fs/cgroup/cpuset{top}/a/b/cpuset.cpus"));
            Assert.NotEqual("", File.ReadAllText($"/sys/fs/cgroup/cpuset{top}/a/cpuset.mems").Trim());
            // An empty cpuset would refuse the task with ENOSPC.
            var process = live.StartWaiting();
            cgroup.AddProcess(process.Id);
            Assert.Equal([process.Id], cgroup.Pids());
            // The top cgroup's pids include its descendants'.
            Assert.Equal([process.Id], live.Cgroup.Pids());
            process.Kill();
            process.WaitForExit(5000);
        }
        // LiveCgroup's Dispose removes the whole tree from the top, deepest first.
    }

    /// <summary>Whether a v1 hugetlb hierarchy is mounted depends on what ran before (a test script may mount one): check whichever holds.</summary>
    [RootFact]
    public void HugetlbLimitIsWrittenOrRefusedClearly()
    {
        using var live = new LiveCgroup(name => Cgroup.Open(name, "test"));
        var resources = new LinuxResources { HugepageLimits = [new LinuxHugepageLimit { PageSize = "2MB", Limit = 4 << 20 }] };
        if (live.Cgroup.Paths.Controllers.ContainsKey("hugetlb"))
        {
            live.Cgroup.Create(resources);
            Assert.Equal("4194304", Kernel("hugetlb", live.Name, "hugetlb.2MB.limit_in_bytes"));
            Assert.Contains("2MB", live.Cgroup.Stats().Hugetlb.Keys);
        }
        else
        {
            var e = Assert.Throws<Berth.Errdefs.BerthException>(() => live.Cgroup.Create(resources));
            Assert.Equal(Berth.Errdefs.ErrorKind.FailedPrecondition, e.Kind);
            Assert.False(Directory.Exists("/sys/fs/cgroup/memory" + live.Name));
        }
    }
}
