namespace Berth.Build.Copy;

/// <summary>One source of a prepared copy, as apply will write it.</summary>
internal abstract record PlanItem(string Name);

/// <summary>
/// A directory whose contents are copied (a directory source, or with --parents the pivot under
/// which matches keep their paths). <paramref name="Top"/> is the directory's own stat: the
/// destination directory takes its mtime.
/// </summary>
internal sealed record TreeItem(string Name, NodeStat Top, IReadOnlyList<PlanEntry> Entries, bool PreserveOwner) : PlanItem(Name);

/// <summary>A single file, device or symlink-followed file, copied to the destination or into it as <see cref="PlanItem.Name"/>.</summary>
internal sealed record SingleItem(string Name, PlanEntry Entry, bool PreserveOwner) : PlanItem(Name);

/// <summary>An ADD of a local tar archive, extracted into the destination directory.</summary>
internal sealed record ArchiveItem(string Name, string SourcePath) : PlanItem(Name);
