using Berth.Cgroups.Hierarchy;
using Berth.Errdefs;

namespace Berth.Cgroups.Tests;

public sealed class MountInfoTests
{
    // This machine's table: v1 controllers each on their own hierarchy, plus a cgroup2 mount.
    private const string ThisMachine = """
        31 23 0:28 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755
        32 31 0:29 / /sys/fs/cgroup/cpu rw,relatime - cgroup cgroup rw,cpu
        33 31 0:30 / /sys/fs/cgroup/cpuacct rw,relatime - cgroup cgroup rw,cpuacct
        34 31 0:31 / /sys/fs/cgroup/cpuset rw,relatime - cgroup cgroup rw,cpuset
        35 31 0:32 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory
        40 31 0:37 / /sys/fs/cgroup/systemd rw,relatime - cgroup cgroup rw,name=systemd
        41 31 0:38 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw
        """;

    [Fact]
    public void HybridHostWithSeparateHierarchies()
    {
        var mounts = MountInfo.ParseCgroupMounts(ThisMachine);
        Assert.Equal(6, mounts.Count);
        var h = CgroupHierarchies.From(mounts, new Dictionary<string, string>());
        Assert.Equal(CgroupMode.Hybrid, h.Mode);
        Assert.Equal("/sys/fs/cgroup/memory", h.V1["memory"].MountPoint);
        Assert.Equal("/sys/fs/cgroup/systemd", h.V1["name=systemd"].MountPoint);
        Assert.Equal("/sys/fs/cgroup/unified", h.Unified!.MountPoint);
    }

    [Fact]
    public void CoMountedControllersShareAMount()
    {
        var h = CgroupHierarchies.From(MountInfo.ParseCgroupMounts(FakeTree.V1MountInfo), new Dictionary<string, string>());
        Assert.Same(h.V1["cpu"], h.V1["cpuacct"]);
        Assert.Equal("/sys/fs/cgroup/cpu,cpuacct", h.V1["cpu"].MountPoint);
        Assert.Equal(["cpu", "cpuacct"], h.V1["cpu"].Controllers);
        Assert.DoesNotContain("xattr", h.V1.Keys);
    }

    [Fact]
    public void PureV1HostIsLegacy()
    {
        var text = string.Join('\n', ThisMachine.Split('\n').Where(l => !l.Contains("cgroup2")));
        Assert.Equal(CgroupMode.Legacy, CgroupHierarchies.From(MountInfo.ParseCgroupMounts(text), new Dictionary<string, string>()).Mode);
    }

    [Fact]
    public void PureV2HostIsUnified()
    {
        var h = CgroupHierarchies.From(MountInfo.ParseCgroupMounts(FakeTree.V2MountInfo), new Dictionary<string, string>());
        Assert.Equal(CgroupMode.Unified, h.Mode);
        Assert.Equal("/sys/fs/cgroup", h.Unified!.MountPoint);
        Assert.Empty(h.V1);
    }

    [Fact]
    public void V2HostWithALegacyNamedHierarchyIsStillUnified()
    {
        var text = FakeTree.V2MountInfo + "\n40 30 0:37 / /run/systemd/legacy rw,relatime - cgroup cgroup rw,name=systemd";
        Assert.Equal(CgroupMode.Unified, CgroupHierarchies.From(MountInfo.ParseCgroupMounts(text), new Dictionary<string, string>()).Mode);
    }

    [Fact]
    public void OptionalFieldsAndEscapesAreHandled()
    {
        var text = @"50 31 0:40 /docker/abc /sys/fs/cgroup/my\040dir rw,relatime shared:3 master:1 - cgroup cgroup rw,pids";
        var mount = Assert.Single(MountInfo.ParseCgroupMounts(text));
        Assert.Equal("/sys/fs/cgroup/my dir", mount.MountPoint);
        Assert.Equal("/docker/abc", mount.Root);
        Assert.Equal(["pids"], mount.Controllers);
    }

    [Fact]
    public void NoCgroupMountIsAnError()
    {
        var e = Assert.Throws<BerthException>(() => CgroupHierarchies.From(MountInfo.ParseCgroupMounts("29 1 8:1 / / rw - ext4 /dev/sda1 rw"), new Dictionary<string, string>()));
        Assert.Equal(ErrorKind.FailedPrecondition, e.Kind);
    }

    [Fact]
    public void MalformedLineIsRejected()
    {
        var e = Assert.Throws<BerthException>(() => MountInfo.ParseCgroupMounts("garbage line"));
        Assert.Equal(ErrorKind.InvalidArgument, e.Kind);
    }

    [Fact]
    public void ProcSelfCgroupSplitsCoMountedControllers()
    {
        var own = ProcCgroup.Parse(FakeTree.V1SelfCgroup);
        Assert.Equal("/user.slice", own["cpu"]);
        Assert.Equal("/user.slice", own["cpuacct"]);
        Assert.Equal("/user.slice/user-0.slice/session-1.scope", own["name=systemd"]);
        Assert.Equal("/user.slice/user-0.slice/session-1.scope", own[""]);
    }

    [Fact]
    public void ThisHostsMountTableParses()
    {
        // Whatever this machine runs, its own table must classify.
        var mode = Cgroup.DetectMode();
        Assert.True(Enum.IsDefined(mode));
    }
}
