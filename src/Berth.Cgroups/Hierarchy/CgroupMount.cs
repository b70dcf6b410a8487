namespace Berth.Cgroups.Hierarchy;

/// <summary>
/// One cgroup filesystem mount from /proc/self/mountinfo. <see cref="Root"/> is the cgroup
/// the mount shows at <see cref="MountPoint"/> ("/" on a host, deeper inside a container).
/// <see cref="Controllers"/> is empty for cgroup2 and holds the v1 controllers of the
/// hierarchy otherwise ("cpu", "cpuacct", or "name=systemd" for a named hierarchy).
/// </summary>
internal sealed record CgroupMount(string MountPoint, string Root, bool IsUnified, IReadOnlyList<string> Controllers);
