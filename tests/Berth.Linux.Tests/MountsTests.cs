using static Berth.Linux.Interop.Libc;

namespace Berth.Linux.Tests;

/// <summary>The parts of Mounts that need no privilege: reading a mount's flags.</summary>
public sealed class MountsTests
{
    private const ulong Checked = MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC | MS_NOATIME | MS_NODIRATIME;

    [Theory]
    [InlineData("/")]
    [InlineData("/proc")]
    [InlineData("/sys")]
    [InlineData("/dev")]
    public void TryGetMountFlagsAgreesWithMountinfo(string mountPoint)
    {
        var options = MountinfoOptions(mountPoint);
        Assert.True(Mounts.TryGetMountFlags(mountPoint, out var flags));
        Assert.Equal(Expected(options) & Checked, flags & Checked);
    }

    [Fact]
    public void TryGetMountFlagsReportsRelatime()
    {
        var mountPoint = new[] { "/", "/proc", "/sys", "/dev" }.First(m => MountinfoOptions(m).Contains("relatime"));
        Assert.True(Mounts.TryGetMountFlags(mountPoint, out var flags));
        Assert.Equal(MS_RELATIME, flags & MS_RELATIME);
    }

    [Fact]
    public void TryGetMountFlagsOfNoPathIsFalse() => Assert.False(Mounts.TryGetMountFlags("/nonexistent/berth", out _));

    private static ulong Expected(string[] options)
    {
        ulong flags = 0;
        foreach (var o in options)
        {
            flags |= o switch
            {
                "ro" => MS_RDONLY,
                "nosuid" => MS_NOSUID,
                "nodev" => MS_NODEV,
                "noexec" => MS_NOEXEC,
                "noatime" => MS_NOATIME,
                "nodiratime" => MS_NODIRATIME,
                "relatime" => MS_RELATIME,
                _ => 0,
            };
        }
        return flags;
    }

    /// <summary>The per-mount options (field 6) of the topmost mount at a mount point.</summary>
    private static string[] MountinfoOptions(string mountPoint) =>
        File.ReadAllLines("/proc/self/mountinfo").Select(l => l.Split(' ')).Last(f => f[4] == mountPoint)[5].Split(',');
}
