using Berth.Errdefs;

namespace Berth.Engine.Spec;

/// <summary>
/// Merges tmpfs mount options as moby's <c>MergeTmpfsOptions</c> does: later options win over
/// earlier ones of the same kind (<c>ro</c>/<c>rw</c>, <c>exec</c>/<c>noexec</c>, one propagation,
/// one <c>size=</c>…), the survivors keep their relative order. Data options other than size,
/// mode, uid, gid, nr_inodes, nr_blocks and mpol are InvalidArgument
/// <c>invalid tmpfs option ["x"]</c>.
/// </summary>
internal static class TmpfsOptionsMerge
{
    private static readonly Dictionary<string, string> FlagGroups = new(StringComparer.Ordinal)
    {
        ["ro"] = "rdonly", ["rw"] = "rdonly", ["suid"] = "nosuid", ["nosuid"] = "nosuid", ["dev"] = "nodev",
        ["nodev"] = "nodev", ["exec"] = "noexec", ["noexec"] = "noexec", ["sync"] = "sync", ["async"] = "sync",
        ["dirsync"] = "dirsync", ["remount"] = "remount", ["mand"] = "mand", ["nomand"] = "mand",
        ["atime"] = "noatime", ["noatime"] = "noatime", ["diratime"] = "nodiratime", ["nodiratime"] = "nodiratime",
        ["bind"] = "bind", ["rbind"] = "rbind", ["relatime"] = "relatime", ["norelatime"] = "relatime",
        ["strictatime"] = "strictatime", ["nostrictatime"] = "strictatime",
        ["private"] = "propagation", ["rprivate"] = "propagation", ["shared"] = "propagation",
        ["rshared"] = "propagation", ["slave"] = "propagation", ["rslave"] = "propagation",
        ["unbindable"] = "propagation", ["runbindable"] = "propagation",
    };

    private static readonly HashSet<string> DataKeys = ["size", "mode", "uid", "gid", "nr_inodes", "nr_blocks", "mpol"];

    /// <summary>The options every tmpfs gets before its own: docker's defaults.</summary>
    public static readonly IReadOnlyList<string> Defaults = ["noexec", "nosuid", "nodev", "rprivate"];

    public static List<string> Merge(IEnumerable<string> options)
    {
        var all = options.Where(o => o.Length > 0 && o != "defaults").ToList();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var merged = new List<string>();
        for (var i = all.Count - 1; i >= 0; i--)
        {
            var option = all[i];
            string key;
            if (FlagGroups.TryGetValue(option, out var group))
                key = "flag:" + group;
            else
            {
                var eq = option.IndexOf('=');
                if (eq <= 0 || !DataKeys.Contains(option[..eq]))
                    throw BerthException.InvalidArgument($"invalid tmpfs option [\"{option}\"]");
                key = "data:" + option[..eq];
            }
            if (seen.Add(key))
                merged.Insert(0, option);
        }
        return merged;
    }

    /// <summary><c>--mount type=tmpfs</c> options as docker writes them (<c>ConvertTmpfsOptions</c>).</summary>
    public static List<string> Convert(long sizeBytes, uint mode, bool readOnly)
    {
        var raw = new List<string>();
        if (readOnly)
            raw.Add("ro");
        if (mode != 0)
            raw.Add("mode=" + System.Convert.ToString(mode, 8));
        if (sizeBytes != 0)
        {
            var (size, suffix) = (sizeBytes, "");
            foreach (var (s, divisor) in new[] { ("g", 1L << 30), ("m", 1L << 20), ("k", 1L << 10) })
            {
                if (size % divisor == 0)
                {
                    (size, suffix) = (size / divisor, s);
                    break;
                }
            }
            raw.Add($"size={size}{suffix}");
        }
        return raw;
    }
}
