namespace Berth.Runtime.Init;

/// <summary>The few facts about the mount table the rootfs setup needs, from /proc/self/mountinfo.</summary>
internal static class CgroupMounts
{
    /// <param name="Root">The directory of the hierarchy the mount shows (mountinfo's root field).</param>
    public sealed record Hierarchy(string MountPoint, string Type, string Options, string Root = "/");

    /// <summary>The cgroup and cgroup2 mounts under /sys/fs/cgroup, with their controller options.</summary>
    public static IReadOnlyList<Hierarchy> Read()
    {
        var result = new List<Hierarchy>();
        foreach (var (mountPoint, type, superOptions, root) in Entries())
        {
            if (type is not ("cgroup" or "cgroup2") || !(mountPoint == "/sys/fs/cgroup" || mountPoint.StartsWith("/sys/fs/cgroup/", StringComparison.Ordinal)))
                continue;
            var options = string.Join(',', superOptions.Split(',').Where(o => o is not ("rw" or "ro")));
            result.Add(new Hierarchy(mountPoint, type, options, root));
        }
        return result;
    }

    /// <summary>The mount point that holds <paramref name="path"/> (the longest prefix in the table).</summary>
    public static string MountPointOf(string path)
    {
        var best = "/";
        foreach (var (mountPoint, _, _, _) in Entries())
        {
            if ((path == mountPoint || path.StartsWith(mountPoint.TrimEnd('/') + "/", StringComparison.Ordinal)) && mountPoint.Length > best.Length)
                best = mountPoint;
        }
        return best;
    }

    /// <summary>
    /// Where the calling process's own cgroup of <paramref name="h"/> is in this mount namespace
    /// (its mount point joined with the path /proc/self/cgroup gives, relative to the mount's
    /// root), or null when /proc/self/cgroup has no line for that hierarchy.
    /// </summary>
    public static string? OwnDirectory(Hierarchy h)
    {
        var controllers = h.Options.Split(',');
        foreach (var line in File.ReadLines("/proc/self/cgroup"))
        {
            // hierarchy-id:controller-list:path; cgroup2 is "0::path".
            var parts = line.Split(':', 3);
            if (parts.Length != 3)
                continue;
            var matches = h.Type == "cgroup2"
                ? parts[0] == "0" && parts[1].Length == 0
                : parts[1].Length > 0 && parts[1].Split(',').All(controllers.Contains);
            if (!matches)
                continue;
            var path = parts[2];
            var root = h.Root.TrimEnd('/');
            if (root.Length > 0)
            {
                if (!(path == root || path.StartsWith(root + "/", StringComparison.Ordinal)))
                    return null;
                path = path[root.Length..];
            }
            return h.MountPoint + "/" + path.TrimStart('/');
        }
        return null;
    }

    private static IEnumerable<(string MountPoint, string Type, string SuperOptions, string Root)> Entries()
    {
        foreach (var line in File.ReadLines("/proc/self/mountinfo"))
        {
            // id parent major:minor root mountpoint options [optional...] - fstype source superoptions
            var dash = line.IndexOf(" - ", StringComparison.Ordinal);
            if (dash < 0)
                continue;
            var left = line[..dash].Split(' ');
            var right = line[(dash + 3)..].Split(' ');
            if (left.Length < 5 || right.Length < 3)
                continue;
            yield return (Unescape(left[4]), right[0], right[2], Unescape(left[3]));
        }
    }

    private static string Unescape(string s) =>
        s.Contains('\\') ? System.Text.RegularExpressions.Regex.Replace(s, @"\\([0-7]{3})", m => ((char)Convert.ToInt32(m.Groups[1].Value, 8)).ToString()) : s;
}
