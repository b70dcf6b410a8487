using Berth.Errdefs;

namespace Berth.Cgroups.Hierarchy;

/// <summary>
/// The cgroup hierarchies this process sees: the v1 mount of each controller, the cgroup2
/// mount, and the runtime's own cgroup in each, from which relative cgroupsPaths start.
/// </summary>
internal sealed class CgroupHierarchies
{
    private CgroupHierarchies(CgroupMode mode, IReadOnlyDictionary<string, CgroupMount> v1, CgroupMount? unified, IReadOnlyDictionary<string, string> own)
    {
        Mode = mode;
        V1 = v1;
        Unified = unified;
        Own = own;
    }

    public CgroupMode Mode { get; }

    /// <summary>v1 controller (or "name=systemd") → its mount; co-mounted controllers share one.</summary>
    public IReadOnlyDictionary<string, CgroupMount> V1 { get; }

    public CgroupMount? Unified { get; }

    /// <summary>This process's cgroup per controller, "" for the unified hierarchy (/proc/self/cgroup).</summary>
    public IReadOnlyDictionary<string, string> Own { get; }

    /// <summary>
    /// Classifies the mounts: any v1 controller hierarchy makes the host legacy, or hybrid when
    /// a cgroup2 mount exists beside it; only a cgroup2 mount makes it unified. The first mount
    /// of a controller wins, as in runc (later ones are usually bind mounts).
    /// </summary>
    public static CgroupHierarchies From(IReadOnlyList<CgroupMount> mounts, IReadOnlyDictionary<string, string> own, string? rootPrefix = null)
    {
        var v1 = new Dictionary<string, CgroupMount>(StringComparer.Ordinal);
        CgroupMount? unified = null;
        foreach (var found in mounts)
        {
            var mount = rootPrefix is null ? found : found with { MountPoint = rootPrefix.TrimEnd('/') + found.MountPoint };
            if (mount.IsUnified)
            {
                // Prefer the conventional places when several cgroup2 mounts exist.
                if (unified is null || (found.MountPoint is "/sys/fs/cgroup" or "/sys/fs/cgroup/unified" && !IsConventional(unified, rootPrefix)))
                {
                    unified = mount;
                }
                continue;
            }
            foreach (var controller in mount.Controllers)
            {
                v1.TryAdd(controller, mount);
            }
        }
        var hasV1Controller = v1.Keys.Any(c => !c.StartsWith("name=", StringComparison.Ordinal));
        CgroupMode mode;
        if (hasV1Controller)
        {
            mode = unified is null ? CgroupMode.Legacy : CgroupMode.Hybrid;
        }
        else if (unified is not null)
        {
            mode = CgroupMode.Unified;
            v1.Clear();
        }
        else
        {
            throw BerthException.FailedPrecondition("find cgroup mounts: no cgroup filesystem is mounted");
        }
        return new CgroupHierarchies(mode, v1, unified, own);
    }

    private static bool IsConventional(CgroupMount mount, string? rootPrefix)
    {
        var point = rootPrefix is null ? mount.MountPoint : mount.MountPoint[rootPrefix.TrimEnd('/').Length..];
        return point is "/sys/fs/cgroup" or "/sys/fs/cgroup/unified";
    }
}
