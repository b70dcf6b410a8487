using Berth.Errdefs;

namespace Berth.Cgroups.Paths;

/// <summary>
/// A container's cgroupsPath (config-linux.md) as runc's cgroupfs driver reads it:
/// <list type="bullet">
/// <item>"/a/b": absolute, below the root of each hierarchy;</item>
/// <item>"a/b": relative to the runtime's own cgroup (on cgroup v2, to its parent, because
/// the runtime's own cgroup holds processes and so cannot enable controllers for children);</item>
/// <item>empty: the relative path "&lt;containerId&gt;", runc's default;</item>
/// <item>"slice:prefix:name" (what podman and containerd pass when configured for systemd):
/// the absolute path systemd would give the unit — "a-b.slice" nests as
/// "/a.slice/a-b.slice", the unit is "prefix-name.scope" (or "name" if it ends in ".slice"),
/// an empty slice means "system.slice". Berth does not talk to systemd itself.</item>
/// </list>
/// A ".." component is refused rather than cleaned away, so no path leaves its hierarchy.
/// </summary>
internal sealed record CgroupsPath(bool IsAbsolute, string Inner)
{
    public static CgroupsPath Parse(string? cgroupsPath, string containerId)
    {
        if (string.IsNullOrEmpty(cgroupsPath))
        {
            if (containerId.Length == 0 || containerId.Contains('/', StringComparison.Ordinal) || containerId is "." or "..")
            {
                throw BerthException.InvalidArgument($"resolve cgroup of container `{containerId}`: invalid container id");
            }
            return new CgroupsPath(false, containerId);
        }
        if (TrySystemd(cgroupsPath) is { } systemd)
        {
            return systemd;
        }
        var inner = Clean(cgroupsPath, cgroupsPath);
        if (inner.Length == 0)
        {
            throw BerthException.InvalidArgument($"resolve cgroup `{cgroupsPath}`: the path names a root cgroup");
        }
        return new CgroupsPath(cgroupsPath.StartsWith('/'), inner);
    }

    private static CgroupsPath? TrySystemd(string value)
    {
        var parts = value.Split(':');
        if (parts.Length != 3 || value.StartsWith('/') || !(parts[0].Length == 0 || parts[0].EndsWith(".slice", StringComparison.Ordinal)))
        {
            return null;
        }
        var (slice, prefix, name) = (parts[0].Length == 0 ? "system.slice" : parts[0], parts[1], parts[2]);
        if (name.Length == 0 || name.Contains('/', StringComparison.Ordinal) || prefix.Contains('/', StringComparison.Ordinal) || name is "." or "..")
        {
            throw BerthException.InvalidArgument($"resolve cgroup `{value}`: expected \"slice:prefix:name\" with a non-empty name and no `/`");
        }
        var unit = name.EndsWith(".slice", StringComparison.Ordinal) ? name
            : prefix.Length == 0 ? name + ".scope"
            : prefix + "-" + name + ".scope";
        var sliceDir = ExpandSlice(slice, value);
        return new CgroupsPath(true, sliceDir.Length == 0 ? unit : sliceDir + "/" + unit);
    }

    /// <summary>
    /// systemd's slice nesting: "a-b-c.slice" lives at "a.slice/a-b.slice/a-b-c.slice";
    /// "-.slice" is the root. Returns the path without a leading slash.
    /// </summary>
    internal static string ExpandSlice(string slice, string value)
    {
        const string Suffix = ".slice";
        if (slice.Length <= Suffix.Length || !slice.EndsWith(Suffix, StringComparison.Ordinal) || slice.Contains('/', StringComparison.Ordinal))
        {
            throw BerthException.InvalidArgument($"resolve cgroup `{value}`: invalid slice name `{slice}`");
        }
        var name = slice[..^Suffix.Length];
        if (name == "-")
        {
            return "";
        }
        var components = name.Split('-');
        if (components.Any(c => c.Length == 0))
        {
            throw BerthException.InvalidArgument($"resolve cgroup `{value}`: invalid slice name `{slice}`");
        }
        var path = new List<string>();
        var prefix = "";
        foreach (var component in components)
        {
            path.Add(prefix + component + Suffix);
            prefix += component + "-";
        }
        return string.Join('/', path);
    }

    /// <summary>Drops empty and "." components; refuses "..".</summary>
    private static string Clean(string path, string original)
    {
        var kept = new List<string>();
        foreach (var component in path.Split('/'))
        {
            if (component is "" or ".")
            {
                continue;
            }
            if (component == "..")
            {
                throw BerthException.InvalidArgument($"resolve cgroup `{original}`: `..` is not allowed in a cgroups path");
            }
            kept.Add(component);
        }
        return string.Join('/', kept);
    }
}
