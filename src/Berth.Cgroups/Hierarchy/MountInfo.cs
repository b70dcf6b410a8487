using System.Text;
using Berth.Errdefs;

namespace Berth.Cgroups.Hierarchy;

/// <summary>
/// Parses /proc/self/mountinfo (proc(5)) for cgroup mounts. A line reads
/// "36 35 98:0 /root /mnt rw,noatime master:1 - cgroup cgroup rw,memory": the fields before
/// the lone "-" are fixed except the optional tags, the filesystem type and super options
/// follow it. Paths escape space, tab, newline and backslash as octal ("\040").
/// </summary>
internal static class MountInfo
{
    private static readonly HashSet<string> NotControllers = new(StringComparer.Ordinal)
    {
        "rw", "ro", "relatime", "noatime", "nosuid", "nodev", "noexec", "xattr", "clone_children",
        "noprefix", "nsdelegate", "memory_recursiveprot", "memory_localevents", "memory_hugetlb_accounting",
        "favordynmods", "cpuset_v2_mode",
    };

    public static IReadOnlyList<CgroupMount> ParseCgroupMounts(string text)
    {
        var mounts = new List<CgroupMount>();
        var lineNumber = 0;
        foreach (var line in text.Split('\n'))
        {
            lineNumber++;
            if (line.Length == 0)
            {
                continue;
            }
            var fields = line.Split(' ');
            var dash = fields.Length > 6 ? Array.IndexOf(fields, "-", 6) : -1;
            if (dash < 0 || dash + 1 >= fields.Length)
            {
                throw BerthException.InvalidArgument($"parse mountinfo line {lineNumber}: malformed `{line}`");
            }
            var fsType = fields[dash + 1];
            if (fsType is not ("cgroup" or "cgroup2"))
            {
                continue;
            }
            var root = Unescape(fields[3]);
            var mountPoint = Unescape(fields[4]);
            var superOptions = dash + 3 < fields.Length ? fields[dash + 3] : "";
            var controllers = new List<string>();
            if (fsType == "cgroup")
            {
                foreach (var option in superOptions.Split(',', StringSplitOptions.RemoveEmptyEntries))
                {
                    if (option.StartsWith("name=", StringComparison.Ordinal))
                    {
                        controllers.Add(option);
                    }
                    else if (!NotControllers.Contains(option) && !option.Contains('=', StringComparison.Ordinal))
                    {
                        controllers.Add(option);
                    }
                }
            }
            mounts.Add(new CgroupMount(mountPoint, root, fsType == "cgroup2", controllers));
        }
        return mounts;
    }

    internal static string Unescape(string field)
    {
        if (!field.Contains('\\', StringComparison.Ordinal))
        {
            return field;
        }
        var bytes = new List<byte>(field.Length);
        for (var i = 0; i < field.Length; i++)
        {
            if (field[i] == '\\' && IsOctal(field, i + 1))
            {
                bytes.Add((byte)(((field[i + 1] - '0') << 6) | ((field[i + 2] - '0') << 3) | (field[i + 3] - '0')));
                i += 3;
            }
            else
            {
                bytes.AddRange(Encoding.UTF8.GetBytes(field[i].ToString()));
            }
        }
        return Encoding.UTF8.GetString(bytes.ToArray());
    }

    private static bool IsOctal(string s, int at) =>
        at + 2 < s.Length && s[at] is >= '0' and <= '3' && s[at + 1] is >= '0' and <= '7' && s[at + 2] is >= '0' and <= '7';
}
