namespace Berth.Build.Copy;

internal enum EntryType
{
    File,
    Directory,
    Symlink,
    HardLink,
    Device,
}

/// <summary>
/// One node a copy writes, found while preparing. <paramref name="RelativePath"/> is below the
/// place the item lands ("" for that place itself); <paramref name="LinkTarget"/> is a symlink's
/// target or, for a hard link, the <paramref name="RelativePath"/> of the entry it shares an inode
/// with. <paramref name="OnlyIfMissing"/> marks a parent directory that --parents recreates: it
/// is made when absent and an existing one is left as it is.
/// </summary>
internal sealed record PlanEntry(string RelativePath, EntryType Type, string SourcePath, NodeStat Stat, string? LinkTarget, bool OnlyIfMissing = false);
