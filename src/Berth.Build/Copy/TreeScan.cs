using Berth.Linux.Files;
using Berth.Build.Ignore;

namespace Berth.Build.Copy;

/// <summary>Turns what a source tree holds into the entries a copy writes.</summary>
internal static class TreeScan
{
    /// <summary>
    /// The entries strictly below <paramref name="dirRel"/>, with paths relative to
    /// <paramref name="anchorRel"/>, in walk order (a directory before what it holds).
    /// --exclude patterns match those relative paths as fsutil's copy matches them: an excluded
    /// directory is skipped whole unless an exception (<c>!</c>) may re-include something below
    /// it, and then it is written only if something below it is.
    /// </summary>
    public static List<PlanEntry> Entries(SourceTree tree, string dirRel, string anchorRel, IgnoreMatcher? excludes, Dictionary<(uint, uint, ulong), string> inodes)
    {
        var entries = new List<PlanEntry>();
        var pending = new List<PlanEntry>();
        string? skip = null;
        foreach (var rel in tree.EnumerateBelow(dirRel))
        {
            var sub = anchorRel == "." ? rel : rel[(anchorRel.Length + 1)..];
            if (skip is not null && sub.StartsWith(skip, StringComparison.Ordinal))
            {
                continue;
            }
            skip = null;
            var full = tree.FullPath(rel);
            if (NodeStat.Lstat(full) is not { } stat)
            {
                continue; // vanished while walking
            }
            pending.RemoveAll(p => !sub.StartsWith(p.RelativePath + "/", StringComparison.Ordinal));
            if (excludes is not null && excludes.IsExcluded(sub))
            {
                if (stat.IsDirectory)
                {
                    if (excludes.HasExceptions)
                    {
                        pending.Add(Entry(sub, full, stat, inodes));
                    }
                    else
                    {
                        skip = sub + "/";
                    }
                }
                continue;
            }
            entries.AddRange(pending);
            pending.Clear();
            entries.Add(Entry(sub, full, stat, inodes));
        }
        return entries;
    }

    /// <summary>
    /// The entry for one node. A regular file with other links becomes a hard link to the first
    /// path of its inode already copied (<paramref name="inodes"/>), as fsutil's copy does.
    /// </summary>
    public static PlanEntry Entry(string rel, string full, NodeStat stat, Dictionary<(uint, uint, ulong), string> inodes)
    {
        switch (stat.Type)
        {
            case NodeStat.Dir:
                return new PlanEntry(rel, EntryType.Directory, full, stat, null) { Xattrs = Copy.Xattrs.List(full) };
            case NodeStat.Symlink:
                return new PlanEntry(rel, EntryType.Symlink, full, stat, RootPath.ReadLink(full));
            case NodeStat.Regular:
                if (stat.Nlink > 1 && rel.Length > 0)
                {
                    var key = (stat.DevMajor, stat.DevMinor, stat.Ino);
                    if (inodes.TryGetValue(key, out var first))
                    {
                        return new PlanEntry(rel, EntryType.HardLink, full, stat, first);
                    }
                    inodes[key] = rel;
                }
                return new PlanEntry(rel, EntryType.File, full, stat, null) { Xattrs = Copy.Xattrs.List(full) };
            default:
                return new PlanEntry(rel, EntryType.Device, full, stat, null) { Xattrs = Copy.Xattrs.List(full) };
        }
    }
}
