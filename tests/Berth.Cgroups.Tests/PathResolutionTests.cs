using Berth.Cgroups.Paths;
using Berth.Errdefs;

namespace Berth.Cgroups.Tests;

public sealed class PathResolutionTests
{
    [Theory]
    [InlineData("/a/b", true, "a/b")]
    [InlineData("/a//b/./c/", true, "a/b/c")]
    [InlineData("a/b", false, "a/b")]
    [InlineData("", false, "ctr")]
    [InlineData(null, false, "ctr")]
    [InlineData("system.slice:docker:abc", true, "system.slice/docker-abc.scope")]
    [InlineData("machine.slice:libpod:abc", true, "machine.slice/libpod-abc.scope")]
    [InlineData("kubepods-besteffort-pod12.slice:cri-containerd:abc", true, "kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod12.slice/cri-containerd-abc.scope")]
    [InlineData(":runc:abc", true, "system.slice/runc-abc.scope")]
    [InlineData("-.slice:runc:abc", true, "runc-abc.scope")]
    [InlineData("user.slice::abc", true, "user.slice/abc.scope")]
    [InlineData("system.slice:runc:sub.slice", true, "system.slice/sub.slice")]
    public void CgroupsPathForms(string? input, bool absolute, string inner)
    {
        var path = CgroupsPath.Parse(input, "ctr");
        Assert.Equal(absolute, path.IsAbsolute);
        Assert.Equal(inner, path.Inner);
    }

    [Theory]
    [InlineData("/a/../../etc")]
    [InlineData("../escape")]
    [InlineData("a/..")]
    [InlineData("/")]
    [InlineData("bad-.slice:runc:abc")]
    [InlineData("a--b.slice:runc:abc")]
    [InlineData("system.slice:runc:a/b")]
    public void BadPathsAreInvalidArguments(string input)
    {
        var e = Assert.Throws<BerthException>(() => CgroupsPath.Parse(input, "ctr"));
        Assert.Equal(ErrorKind.InvalidArgument, e.Kind);
        Assert.StartsWith("resolve cgroup `", e.Message);
    }

    [Fact]
    public void ColonsWithoutASliceAreAPlainPath()
    {
        var path = CgroupsPath.Parse("/a:b:c", "ctr");
        Assert.Equal("a:b:c", path.Inner);
    }

    [Fact]
    public void V1AbsolutePathIsUnderEachHierarchyRoot()
    {
        using var tree = new FakeTree();
        var paths = Cgroup.Resolve("/berth/c1", "c1", tree.V1Options);
        Assert.Equal(tree.Abs("/sys/fs/cgroup/memory/berth/c1"), paths.Controllers["memory"]);
        Assert.Equal(tree.Abs("/sys/fs/cgroup/cpu,cpuacct/berth/c1"), paths.Controllers["cpu"]);
        Assert.Equal(tree.Abs("/sys/fs/cgroup/cpu,cpuacct/berth/c1"), paths.Controllers["cpuacct"]);
        Assert.Equal(tree.Abs("/sys/fs/cgroup/systemd/berth/c1"), paths.Controllers["name=systemd"]);
        Assert.Equal(tree.Abs("/sys/fs/cgroup/unified/berth/c1"), paths.Unified);
        Assert.False(paths.IsV2);
    }

    [Fact]
    public void V1RelativePathIsUnderOurOwnCgroupPerHierarchy()
    {
        using var tree = new FakeTree();
        var paths = Cgroup.Resolve(null, "c1", tree.V1Options);
        Assert.Equal(tree.Abs("/sys/fs/cgroup/memory/user.slice/user-0.slice/session-1.scope/c1"), paths.Controllers["memory"]);
        Assert.Equal(tree.Abs("/sys/fs/cgroup/cpu,cpuacct/user.slice/c1"), paths.Controllers["cpu"]);
        Assert.Equal(tree.Abs("/sys/fs/cgroup/freezer/c1"), paths.Controllers["freezer"]);
        Assert.Equal(tree.Abs("/sys/fs/cgroup/unified/user.slice/user-0.slice/session-1.scope/c1"), paths.Unified);
    }

    [Fact]
    public void V2AbsoluteAndRelativePaths()
    {
        using var tree = new FakeTree();
        var absolute = Cgroup.Resolve("/berth/c1", "c1", tree.V2Options);
        Assert.True(absolute.IsV2);
        Assert.Equal(tree.Abs("/sys/fs/cgroup/berth/c1"), absolute.Unified);
        // Relative paths start at the parent of our own cgroup, which holds processes.
        var relative = Cgroup.Resolve("", "c1", tree.V2Options);
        Assert.Equal(tree.Abs("/sys/fs/cgroup/user.slice/user-1000.slice/c1"), relative.Unified);
        var systemd = Cgroup.Resolve("machine.slice:libpod:c1", "c1", tree.V2Options);
        Assert.Equal(tree.Abs("/sys/fs/cgroup/machine.slice/libpod-c1.scope"), systemd.Unified);
    }

    [Fact]
    public void NestedMountRootIsStrippedFromOwnCgroup()
    {
        // Inside a container without a cgroup namespace the mount shows /docker/abc as its root.
        const string mountInfo = "30 24 0:26 /docker/abc /sys/fs/cgroup rw,relatime - cgroup2 cgroup2 rw";
        var options = new CgroupOptions { MountInfo = mountInfo, SelfCgroup = "0::/docker/abc/init\n" };
        Assert.Equal("/sys/fs/cgroup/c1", Cgroup.Resolve("c1", "c1", options).Unified);
        Assert.Equal("/sys/fs/cgroup/x", Cgroup.Resolve("/x", "c1", options).Unified);
    }

    [Fact]
    public void PathsRoundTripThroughJson()
    {
        using var tree = new FakeTree();
        var paths = Cgroup.Resolve("/berth/c1", "c1", tree.V1Options);
        var json = System.Text.Json.JsonSerializer.Serialize(paths, CgroupStatsJsonContext.Default.CgroupPaths);
        Assert.DoesNotContain("isV2", json);
        var back = System.Text.Json.JsonSerializer.Deserialize(json, CgroupStatsJsonContext.Default.CgroupPaths)!;
        Assert.Equal(paths.Unified, back.Unified);
        Assert.Equal(paths.Controllers, back.Controllers);
    }
}
