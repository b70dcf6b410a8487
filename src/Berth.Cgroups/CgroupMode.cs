namespace Berth.Cgroups;

/// <summary>How the host mounts cgroups: v1 only, v1 plus a cgroup2 mount (hybrid), or v2 only.</summary>
public enum CgroupMode
{
    Legacy,
    Hybrid,
    Unified,
}
