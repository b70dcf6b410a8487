using Berth.Cgroups.Devices;
using Berth.Oci.Runtime;

namespace Berth.Cgroups.Tests;

/// <summary>
/// The v2 manager against this host's real cgroup2 mount (/sys/fs/cgroup/unified). Here the
/// resource controllers are bound to v1, so only what cgroup2 itself provides is exercised:
/// directories, cgroup.procs, the freezer, cpu.stat, and the eBPF device filter.
/// </summary>
public sealed class V2IntegrationTests
{
    private static LiveCgroup Open() =>
        new(name => Cgroup.Load(new CgroupPaths { Unified = "/sys/fs/cgroup/unified" + name }));

    [RootFact]
    public void ProcessesFreezerAndDestroyOnRealCgroup2()
    {
        string dir;
        using (var live = Open())
        {
            var cgroup = live.Cgroup;
            dir = cgroup.Paths.Unified!;
            var before = File.ReadAllText("/sys/fs/cgroup/unified/cgroup.subtree_control");
            cgroup.Create(null);
            Assert.True(Directory.Exists(dir));
            Assert.Equal(before, File.ReadAllText("/sys/fs/cgroup/unified/cgroup.subtree_control"));

            var process = live.StartWaiting();
            cgroup.AddProcess(process.Id);
            LiveCgroup.Go(process);
            Assert.Equal([process.Id], cgroup.Pids());

            cgroup.Freeze();
            Assert.True(cgroup.IsFrozen());
            Assert.Contains("frozen 1", File.ReadAllText(dir + "/cgroup.events"));
            cgroup.Thaw();
            Assert.False(cgroup.IsFrozen());

            var stats = cgroup.Stats();
            Assert.NotNull(stats.Cpu.Usage);

            process.Kill();
            process.WaitForExit(5000);
        }
        Assert.False(Directory.Exists(dir));
    }

    [RootFact]
    public void DeviceFilterAllowsOnlyTheListedDevices()
    {
        using var live = Open();
        live.Cgroup.Create(new LinuxResources
        {
            Devices =
            [
                new LinuxDeviceCgroup { Allow = false, Access = "rwm" },
                new LinuxDeviceCgroup { Allow = true, Type = "c", Major = 1, Minor = 3, Access = "rwm" },
                new LinuxDeviceCgroup { Allow = true, Type = "c", Major = 1, Minor = 9, Access = "r" },
            ],
        });
        Assert.Equal(1, DeviceFilter.AttachedCount(live.Cgroup.Paths.Unified!));

        var process = live.StartWaiting(
            "echo x > /dev/null && echo null-write-ok; " +
            "head -c 1 /dev/urandom > /dev/null && echo urandom-read-ok; " +
            "echo x > /dev/urandom || echo urandom-write-denied; " +
            "head -c 1 /dev/zero > /dev/null || echo zero-denied");
        live.Cgroup.AddProcess(process.Id);
        LiveCgroup.Go(process);
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit(5000);
        Assert.Contains("null-write-ok", output);
        Assert.Contains("urandom-read-ok", output);
        Assert.Contains("urandom-write-denied", output);
        Assert.Contains("zero-denied", output);

        // Update swaps the program: still one attached, and /dev/zero now allowed.
        live.Cgroup.Update(new LinuxResources { Devices = [new LinuxDeviceCgroup { Allow = true, Access = "rwm" }] });
        Assert.Equal(1, DeviceFilter.AttachedCount(live.Cgroup.Paths.Unified!));
        var second = live.StartWaiting("head -c 1 /dev/zero > /dev/null && echo zero-ok");
        live.Cgroup.AddProcess(second.Id);
        LiveCgroup.Go(second);
        Assert.Contains("zero-ok", second.StandardOutput.ReadToEnd());
        second.WaitForExit(5000);
    }
}
