using Berth.Cgroups.Hierarchy;

namespace Berth.Cgroups.Paths;

/// <summary>Turns a parsed cgroupsPath into the directories of <see cref="CgroupPaths"/>, one per hierarchy.</summary>
internal static class PathResolver
{
    /// <summary>The v1 hierarchies a container joins: every controller, plus systemd's named one as runc does.</summary>
    private static bool Joins(string controller) =>
        !controller.StartsWith("name=", StringComparison.Ordinal) || controller == "name=systemd";

    public static CgroupPaths Resolve(CgroupHierarchies hierarchies, CgroupsPath path)
    {
        if (hierarchies.Mode == CgroupMode.Unified)
        {
            var mount = hierarchies.Unified!;
            // On v2 a relative path starts at the parent of our own cgroup (as runc's fs2 does).
            var own = hierarchies.Own.GetValueOrDefault("", "/");
            var baseDir = path.IsAbsolute ? mount.MountPoint : Under(mount, Parent(own));
            return new CgroupPaths { Unified = Combine(baseDir, path.Inner) };
        }
        var controllers = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (controller, mount) in hierarchies.V1)
        {
            if (!Joins(controller))
            {
                continue;
            }
            var baseDir = path.IsAbsolute ? mount.MountPoint : Under(mount, hierarchies.Own.GetValueOrDefault(controller, "/"));
            controllers[controller] = Combine(baseDir, path.Inner);
        }
        string? unified = null;
        if (hierarchies.Unified is { } hybrid)
        {
            var baseDir = path.IsAbsolute ? hybrid.MountPoint : Under(hybrid, hierarchies.Own.GetValueOrDefault("", "/"));
            unified = Combine(baseDir, path.Inner);
        }
        return new CgroupPaths { Controllers = controllers, Unified = unified };
    }

    /// <summary>
    /// Where cgroup <paramref name="cgroup"/> (as /proc/self/cgroup names it) appears under the
    /// mount; when the mount shows a subtree that does not contain it (nested without a
    /// cgroup namespace), the mount point itself.
    /// </summary>
    private static string Under(CgroupMount mount, string cgroup)
    {
        var root = mount.Root.TrimEnd('/');
        if (cgroup == mount.Root || cgroup == root)
        {
            return mount.MountPoint;
        }
        if (!cgroup.StartsWith(root + "/", StringComparison.Ordinal) || cgroup.Split('/').Contains(".."))
        {
            return mount.MountPoint;
        }
        return Combine(mount.MountPoint, cgroup[(root.Length + 1)..]);
    }

    private static string Parent(string cgroup)
    {
        var trimmed = cgroup.TrimEnd('/');
        var slash = trimmed.LastIndexOf('/');
        return slash <= 0 ? "/" : trimmed[..slash];
    }

    private static string Combine(string dir, string inner) =>
        inner.Length == 0 ? dir : dir.TrimEnd('/') + "/" + inner.Trim('/');
}
