using Berth.Linux.Files;
using System.Formats.Tar;
using Berth.Build.Ignore;
using Berth.Errdefs;

namespace Berth.Build.Copy;

/// <summary>
/// ADD's handling of a local tar archive (plain, gzip, bzip2, xz or zstd), after moby's
/// archive.Untar, which BuildKit uses: entries land below the destination directory, an existing
/// node is replaced unless both are directories, owners come from the archive unless --chown is
/// given, <c>.wh.</c> names are ordinary files (whiteouts mean nothing here), and times are kept.
/// Entry names and hard links are confined to the destination; a symlink inside the archive
/// resolves inside the destination too, so no entry can be written outside it.
/// </summary>
internal static class ArchiveExtractor
{
    private const int MaxEntries = 1_000_000;

    /// <summary>Whether <paramref name="path"/> is a tar archive, compressed or not: its first header must read.</summary>
    public static bool IsArchive(string path)
    {
        try
        {
            using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1 << 14);
            using var stream = Decompression.Open(file, out _);
            using var reader = new TarReader(stream, leaveOpen: true);
            return reader.GetNextEntry(copyData: false) is not null;
        }
        catch (Exception e) when (e is not OperationCanceledException and not OutOfMemoryException)
        {
            // Like docker: anything that does not read as a tar is copied as a plain file.
            return false;
        }
    }

    public static async Task ExtractAsync(string archive, string shownSource, string destination, NodeWriter writer, Owner? chown, CancellationToken ct)
    {
        await using var file = new FileStream(archive, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1 << 16);
        await using var stream = Decompression.Open(file, out _);
        using var reader = new TarReader(stream, leaveOpen: true);
        var directories = new List<(string Full, DateTimeOffset Mtime)>();
        var count = 0;
        var where = "first entry";
        try
        {
            while (await reader.GetNextEntryAsync(copyData: false, ct).ConfigureAwait(false) is { } entry)
            {
                where = $"entry `{entry.Name}`";
                if (++count > MaxEntries)
                {
                    throw BerthException.InvalidArgument($"more than {MaxEntries} entries");
                }
                await ExtractEntryAsync(entry, destination, writer, chown, directories, ct).ConfigureAwait(false);
                where = $"entry after `{entry.Name}`";
            }
        }
        catch (Exception e) when (e is InvalidDataException or EndOfStreamException or FormatException or ZstdSharp.ZstdException or SharpCompress.Common.SharpCompressException)
        {
            throw BerthException.InvalidArgument($"extract `{shownSource}`: {where}: corrupt or truncated archive: {e.Message}");
        }
        catch (BerthException e)
        {
            throw e.Wrap($"extract `{shownSource}`: {where}");
        }
        // Directory times last: writing into a directory changes its mtime.
        for (var i = directories.Count - 1; i >= 0; i--)
        {
            var (full, mtime) = directories[i];
            if (NodeStat.Lstat(full) is { IsDirectory: true })
            {
                SetTimes(writer, full, mtime);
            }
        }
    }

    private static async Task ExtractEntryAsync(TarEntry entry, string destination, NodeWriter writer, Owner? chown, List<(string, DateTimeOffset)> directories, CancellationToken ct)
    {
        if (entry.EntryType is TarEntryType.GlobalExtendedAttributes)
        {
            return;
        }
        var name = Clean(entry.Name);
        if (name is null)
        {
            return;
        }
        var full = RootPath.JoinParent(destination, name);
        var isDir = entry.EntryType == TarEntryType.Directory;
        if (NodeStat.Lstat(full) is { } existing && !(existing.IsDirectory && isDir))
        {
            writer.RemoveAll(full);
        }
        var owner = chown ?? new Owner((uint)entry.Uid, (uint)entry.Gid);
        if (Path.GetDirectoryName(full) is { } parent)
        {
            // Implied parents, as moby's createImpliedDirectories: 0755, owned like the entry.
            writer.MkdirAll(parent, Modes.Directory, chown ?? Owner.Root);
        }
        var mode = (uint)entry.Mode & Modes.All;
        switch (entry.EntryType)
        {
            case TarEntryType.Directory:
                if (NodeStat.Lstat(full) is null)
                {
                    writer.Mkdir(full, mode);
                }
                directories.Add((full, entry.ModificationTime));
                break;
            case TarEntryType.RegularFile or TarEntryType.V7RegularFile or TarEntryType.ContiguousFile:
                await writer.WriteFileAsync(full, entry.DataStream ?? Stream.Null, mode, ct).ConfigureAwait(false);
                break;
            case TarEntryType.SymbolicLink:
                writer.Symlink(entry.LinkName, full);
                break;
            case TarEntryType.HardLink:
                var linkName = Clean(entry.LinkName) ?? throw BerthException.InvalidArgument($"invalid hard link target `{entry.LinkName}`");
                var target = RootPath.JoinParent(destination, linkName);
                if (NodeStat.Lstat(target) is not { } linked || linked.IsDirectory)
                {
                    throw BerthException.InvalidArgument($"hard link target `{entry.LinkName}` is not a file in the archive");
                }
                writer.HardLink(target, full);
                return; // the inode already has its metadata
            case TarEntryType.CharacterDevice or TarEntryType.BlockDevice or TarEntryType.Fifo:
                var type = entry.EntryType switch
                {
                    TarEntryType.CharacterDevice => NodeStat.Char,
                    TarEntryType.BlockDevice => NodeStat.Block,
                    _ => NodeStat.Fifo,
                };
                var posix = (PosixTarEntry)entry;
                writer.Mknod(full, type | mode, (uint)posix.DeviceMajor, (uint)posix.DeviceMinor);
                break;
            default:
                throw BerthException.InvalidArgument($"unhandled tar entry type {entry.EntryType}");
        }
        writer.SetOwner(full, owner);
        if (entry.EntryType != TarEntryType.SymbolicLink)
        {
            writer.SetMode(full, mode);
        }
        if (!isDir)
        {
            SetTimes(writer, full, entry.ModificationTime);
        }
    }

    /// <summary>The entry name cleaned and made relative; null for the archive root; an error for a name that climbs out.</summary>
    private static string? Clean(string name)
    {
        var clean = IgnoreFile.CleanPath(name.TrimStart('/'));
        if (clean == "..")
        {
            throw BerthException.InvalidArgument($"invalid entry name `{name}`: outside the destination");
        }
        if (clean.StartsWith("../", StringComparison.Ordinal))
        {
            throw BerthException.InvalidArgument($"invalid entry name `{name}`: outside the destination");
        }
        return clean == "." ? null : clean;
    }

    private static void SetTimes(NodeWriter writer, string full, DateTimeOffset mtime)
    {
        var ticks = mtime.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks;
        var seconds = Math.DivRem(ticks, TimeSpan.TicksPerSecond, out var rest);
        if (rest < 0)
        {
            seconds--;
            rest += TimeSpan.TicksPerSecond;
        }
        writer.SetTimes(full, seconds, (uint)(rest * 100));
    }
}
