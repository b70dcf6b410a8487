namespace Berth.Cgroups;

/// <summary>Usage figures read from a cgroup, in the shape of runc's `events --stats` data.</summary>
public sealed record CgroupStats;
