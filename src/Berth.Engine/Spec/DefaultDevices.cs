using Berth.Oci.Runtime;

namespace Berth.Engine.Spec;

/// <summary>
/// Docker's device cgroup rules for an unprivileged container (moby <c>oci.DefaultLinuxSpec</c>):
/// deny everything, allow zero, null, urandom, random, tty and console, and deny fuse. The
/// runtime then appends runc's default allowances (<c>c *:* m</c>, <c>b *:* m</c>, pts
/// <c>c 136:* rwm</c>, ptmx <c>c 5:2 rwm</c>, tun <c>c 10:200 rwm</c>, full) and creates the
/// default nodes (null zero full random urandom tty, console, ptmx), as runc does for docker, so
/// the spec's device list stays empty unless <c>--device</c> adds to it.
/// </summary>
public static class DefaultDevices
{
    public static IReadOnlyList<LinuxDeviceCgroup> CgroupRules() =>
    [
        new() { Allow = false, Access = "rwm" },
        Char(1, 5), Char(1, 3), Char(1, 9), Char(1, 8), Char(5, 0), Char(5, 1),
        new() { Allow = false, Type = "c", Major = 10, Minor = 229, Access = "rwm" },
    ];

    /// <summary>What <c>--privileged</c> gets: every device.</summary>
    public static IReadOnlyList<LinuxDeviceCgroup> PrivilegedRules() => [new() { Allow = true, Access = "rwm" }];

    private static LinuxDeviceCgroup Char(long major, long minor) =>
        new() { Allow = true, Type = "c", Major = major, Minor = minor, Access = "rwm" };
}
