namespace Berth.Runtime.Init;

/// <summary>The few facts about the mount table the rootfs setup needs, from /proc/self/mountinfo.</summary>
internal static class CgroupMounts
{
    public sealed record Hierarchy(string MountPoint, string Type, string Options);

    /// <summary>The cgroup and cgroup2 mounts under /sys/fs/cgroup, with their controller options.</summary>
    public static IReadOnlyList<Hierarchy> Read()
    {
        var result = new List<Hierarchy>();
        foreach (var (mountPoint, type, superOptions) in Entries())
        {
            if (type is not ("cgroup" or "cgroup2") || !(mountPoint == "/sys/fs/cgroup" || mountPoint.StartsWith("/sys/fs/cgroup/", StringComparison.Ordinal)))
                continue;
            var options = string.Join(',', superOptions.Split(',').Where(o => o is not ("rw" or "ro")));
            result.Add(new Hierarchy(mountPoint, type, options));
        }
        return result;
    }

    /// <summary>The mount point that holds <paramref name="path"/> (the longest prefix in the table).</summary>
    public static string MountPointOf(string path)
    {
        var best = "/";
        foreach (var (mountPoint, _, _) in Entries())
        {
            if ((path == mountPoint || path.StartsWith(mountPoint.TrimEnd('/') + "/", StringComparison.Ordinal)) && mountPoint.Length > best.Length)
                best = mountPoint;
        }
        return best;
    }

    private static IEnumerable<(string MountPoint, string Type, string SuperOptions)> Entries()
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
            yield return (Unescape(left[4]), right[0], right[2]);
        }
    }

    private static string Unescape(string s) =>
        s.Contains('\\') ? System.Text.RegularExpressions.Regex.Replace(s, @"\\([0-7]{3})", m => ((char)Convert.ToInt32(m.Groups[1].Value, 8)).ToString()) : s;
}
