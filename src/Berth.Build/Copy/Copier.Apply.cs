using Berth.Linux.Files;
using Berth.Errdefs;

namespace Berth.Build.Copy;

public sealed partial class Copier
{
    /// <summary>
    /// Phase 2: writes the prepared copy into <paramref name="rootDirectory"/> (the step's merged,
    /// writable root filesystem). --chown names are looked up in its <c>/etc/passwd</c> and
    /// <c>/etc/group</c>. Fails with a <see cref="BerthException"/> naming the source and the
    /// destination; what was written before the failure stays (the step's layer is discarded).
    /// </summary>
    public async Task ApplyAsync(PreparedCopy prepared, string rootDirectory, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(prepared);
        ArgumentNullException.ThrowIfNull(rootDirectory);
        var verb = prepared.Request.IsAdd ? "ADD" : "COPY";
        var full = Path.GetFullPath(rootDirectory);
        var root = full.Length > 1 ? full.TrimEnd('/') : full;
        if (NodeStat.StatFollow(root) is not { IsDirectory: true })
        {
            throw BerthException.NotFound($"{verb} to `{rootDirectory}`: root directory does not exist");
        }
        Owner? chown;
        try
        {
            chown = prepared.Request.Chown is { Length: > 0 } c ? Owner.Parse(c, root) : null;
        }
        catch (BerthException e)
        {
            throw e.Wrap(verb);
        }
        var apply = new Apply(new NodeWriter(root), prepared, chown);
        foreach (var item in prepared.Items)
        {
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                await apply.ItemAsync(item, cancellationToken).ConfigureAwait(false);
            }
            catch (BerthException e)
            {
                throw e.Wrap($"{verb} `{item.Name}` to `{prepared.Destination}`");
            }
        }
    }

    /// <summary>One application of a prepared copy to one root.</summary>
    private sealed class Apply(NodeWriter writer, PreparedCopy prepared, Owner? chown)
    {
        // Directories the copy has to make (the destination and its parents) are 0755, or the
        // --chmod mode, owned by the --chown owner or root: BuildKit's MkdirAll with the copy's options.
        private readonly uint _dirMode = prepared.Mode is { } m ? m & Modes.Permissions : Modes.Directory;
        private readonly Owner _dirOwner = chown ?? Owner.Root;

        public async Task ItemAsync(PlanItem item, CancellationToken ct)
        {
            var dest = RootPath.Join(writer.Root, prepared.Destination);
            switch (item)
            {
                case TreeItem tree:
                    if (NodeStat.Lstat(dest) is { } existing)
                    {
                        if (!existing.IsDirectory)
                        {
                            throw BerthException.Conflict($"cannot copy to non-directory: {writer.Shown(dest)}");
                        }
                    }
                    else
                    {
                        writer.MkdirAll(dest, _dirMode, _dirOwner);
                    }
                    await EntriesAsync(dest, tree.Entries, tree.PreserveOwner, ct).ConfigureAwait(false);
                    writer.SetTimes(dest, tree.Top.MtimeSec, tree.Top.MtimeNsec);
                    break;
                case SingleItem single:
                    string target;
                    if (prepared.DestinationIsDirectory || NodeStat.Lstat(dest) is { IsDirectory: true })
                    {
                        writer.MkdirAll(dest, _dirMode, _dirOwner);
                        target = dest.TrimEnd('/') + "/" + single.Name;
                    }
                    else
                    {
                        if (Path.GetDirectoryName(dest) is { } parent)
                        {
                            writer.MkdirAll(parent, _dirMode, _dirOwner);
                        }
                        target = dest;
                    }
                    await NodeAsync(target, single.Entry, single.PreserveOwner, "", ct).ConfigureAwait(false);
                    break;
                case ArchiveItem archive:
                    writer.MkdirAll(dest, Modes.Directory, _dirOwner);
                    await ArchiveExtractor.ExtractAsync(archive.SourcePath, archive.Name, dest, writer, chown, ct).ConfigureAwait(false);
                    break;
            }
        }

        private async Task EntriesAsync(string baseDir, IReadOnlyList<PlanEntry> entries, bool preserveOwner, CancellationToken ct)
        {
            var directories = new List<(string Full, NodeStat Stat)>();
            foreach (var entry in entries)
            {
                ct.ThrowIfCancellationRequested();
                var target = baseDir.TrimEnd('/') + "/" + entry.RelativePath;
                if (entry.Type == EntryType.Directory)
                {
                    if (NodeStat.Lstat(target) is { } existing)
                    {
                        if (!existing.IsDirectory)
                        {
                            throw BerthException.Conflict($"cannot copy to non-directory: {writer.Shown(target)}");
                        }
                        if (entry.OnlyIfMissing)
                        {
                            continue;
                        }
                    }
                    else
                    {
                        writer.Mkdir(target, Modes.PrivateDirectory);
                    }
                    SetMetadata(target, entry, preserveOwner);
                    directories.Add((target, entry.Stat));
                    continue;
                }
                await NodeAsync(target, entry, preserveOwner, baseDir, ct).ConfigureAwait(false);
            }
            // Last, and deepest first: creating entries in a directory changes its mtime.
            for (var i = directories.Count - 1; i >= 0; i--)
            {
                writer.SetTimes(directories[i].Full, directories[i].Stat.MtimeSec, directories[i].Stat.MtimeNsec);
            }
        }

        private async Task NodeAsync(string target, PlanEntry entry, bool preserveOwner, string baseDir, CancellationToken ct)
        {
            writer.ClearForFile(target);
            switch (entry.Type)
            {
                case EntryType.File:
                    await writer.CopyFileAsync(entry.SourcePath, target, Modes.PrivateFile, ct).ConfigureAwait(false);
                    break;
                case EntryType.Symlink:
                    writer.Symlink(entry.LinkTarget ?? "", target);
                    break;
                case EntryType.HardLink:
                    writer.HardLink(baseDir.TrimEnd('/') + "/" + entry.LinkTarget, target);
                    return;
                case EntryType.Device:
                    writer.Mknod(target, entry.Stat.Type | Modes.PrivateFile, entry.Stat.RdevMajor, entry.Stat.RdevMinor);
                    break;
                default:
                    throw BerthException.Internal($"unexpected {entry.Type} entry `{entry.RelativePath}`");
            }
            SetMetadata(target, entry, preserveOwner);
            writer.SetTimes(target, entry.Stat.MtimeSec, entry.Stat.MtimeNsec);
        }

        private void SetMetadata(string target, PlanEntry entry, bool preserveOwner)
        {
            var source = entry.Stat;
            writer.SetOwner(target, chown ?? (preserveOwner ? new Owner(source.Uid, source.Gid) : Owner.Root));
            if (!source.IsSymlink)
            {
                var mode = prepared.Mode ?? source.Permissions;
                if (!preserveOwner && prepared.Mode is null && entry.Type == EntryType.File)
                {
                    // docker and buildah chown copied files after setting their mode, and chown(2)
                    // clears setuid, and setgid when group-execute is set: the peers' result.
                    mode &= ~0x800u;
                    if ((mode & 0x8) != 0)
                    {
                        mode &= ~0x400u;
                    }
                }
                writer.SetMode(target, mode);
            }
            // After chown, which drops security.capability.
            Xattrs.Set(target, entry.Xattrs, writer.Shown(target));
        }
    }
}
