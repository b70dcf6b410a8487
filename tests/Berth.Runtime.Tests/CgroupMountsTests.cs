using Berth.Runtime.Init;

namespace Berth.Runtime.Tests;

/// <summary>CgroupMounts reads this host's mount table: checked against what /proc says directly.</summary>
public sealed class CgroupMountsTests
{
    [Fact]
    public void MountPointOfIsTheLongestPrefix()
    {
        Assert.Equal("/", CgroupMounts.MountPointOf("/"));
        Assert.Equal("/proc", CgroupMounts.MountPointOf("/proc"));
        Assert.Equal("/proc", CgroupMounts.MountPointOf("/proc/self/status"));
        // "/procx" is not under "/proc".
        Assert.Equal(CgroupMounts.MountPointOf("/"), CgroupMounts.MountPointOf("/procx/y"));
    }

    [Fact]
    public void ReadFindsEveryCgroupMountUnderSysFsCgroup()
    {
        var expected = File.ReadAllLines("/proc/self/mountinfo")
            .Select(l => l.Split(" - "))
            .Where(p => p[1].Split(' ')[0] is "cgroup" or "cgroup2")
            .Select(p => p[0].Split(' ')[4])
            .Where(m => m == "/sys/fs/cgroup" || m.StartsWith("/sys/fs/cgroup/", StringComparison.Ordinal))
            .ToList();
        var read = CgroupMounts.Read();
        Assert.Equal(expected, read.Select(h => h.MountPoint));
        Assert.All(read, h => Assert.DoesNotContain(h.Options.Split(','), o => o is "rw" or "ro"));
    }

    [Fact]
    public void OwnDirectoryJoinsTheMountWithProcSelfCgroup()
    {
        foreach (var h in CgroupMounts.Read())
        {
            var own = CgroupMounts.OwnDirectory(h);
            if (own is null)
                continue;
            Assert.StartsWith(h.MountPoint + "/", own + "/");
            Assert.True(Directory.Exists(own), $"{h.MountPoint} ({h.Type} {h.Options}): {own}");
        }
    }
}
