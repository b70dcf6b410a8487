using System.Text;
using Berth.Errdefs;
using Berth.Linux;
using Berth.Linux.Interop;

namespace Berth.Images.Layers;

/// <summary>
/// Turns an overlayfs upper directory into an OCI layer tar: what is in the upper dir is
/// added or replaced, a 0:0 character device (overlay's whiteout) becomes <c>.wh.NAME</c>, and a
/// directory with <c>trusted.overlay.opaque=y</c> gets a <c>.wh..wh..opq</c> entry. Entries are
/// walked depth-first in ordinal name order, with no access or change times, so the same
/// tree gives the same bytes; <see cref="LayerDiffOptions.SourceDateEpoch"/> also clamps mtimes.
/// <see cref="Plan"/> returns the entries as data; <see cref="WriteAsync"/> writes them.
/// </summary>
public static class LayerDiffer
{
    private const uint S_IFMT = 0xf000;
    private const uint S_IFSOCK = 0xc000;
    private const uint S_IFLNK = 0xa000;
    private const uint S_IFREG = 0x8000;
    private const uint S_IFBLK = 0x6000;
    private const uint S_IFDIR = 0x4000;
    private const uint S_IFCHR = 0x2000;
    private const uint S_IFIFO = 0x1000;
    private const string OverlayXattrPrefix = "trusted.overlay.";

    /// <summary>
    /// The entries of the layer that takes <paramref name="lowerDirs"/> to the merged view with
    /// <paramref name="upperDir"/> on top. A whiteout is kept only when some lower dir has the
    /// path it hides (overlay also leaves whiteouts for files created and removed in the upper).
    /// </summary>
    public static IReadOnlyList<LayerChange> Plan(string upperDir, IReadOnlyList<string> lowerDirs, LayerDiffOptions? options = null)
    {
        options ??= LayerDiffOptions.Default;
        var upper = Path.TrimEndingDirectorySeparator(Path.GetFullPath(upperDir));
        var changes = new List<LayerChange>();
        var inodes = new Dictionary<(uint, uint, ulong), string>();
        try
        {
            Walk(upper, "", lowerDirs, options, changes, inodes);
        }
        catch (BerthException e)
        {
            throw e.Wrap($"diff `{upperDir}`");
        }

        return changes;
    }

    /// <summary>Writes the layer tar (uncompressed) to <paramref name="output"/> and returns its DiffID.</summary>
    public static async Task<LayerDiffResult> WriteAsync(
        string upperDir, IReadOnlyList<string> lowerDirs, Stream output, LayerDiffOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        var changes = Plan(upperDir, lowerDirs, options);
        await using var digesting = new DigestingWriteStream(output);
        var writer = new TarBlockWriter(digesting);
        foreach (var change in changes)
        {
            cancellationToken.ThrowIfCancellationRequested();
            writer.WriteHeader(ToEntry(change));
            if (change.Source is { } source)
            {
                await CopyExactlyAsync(source, change.Size, digesting, cancellationToken).ConfigureAwait(false);
                writer.Pad(change.Size);
            }
        }

        writer.Finish();
        await digesting.FlushAsync(cancellationToken).ConfigureAwait(false);
        return new LayerDiffResult(digesting.Finish(), digesting.Count, changes.Count);
    }

    private static void Walk(string upper, string dir, IReadOnlyList<string> lowers, LayerDiffOptions options,
        List<LayerChange> changes, Dictionary<(uint, uint, ulong), string> inodes)
    {
        var full = dir.Length == 0 ? upper : upper + "/" + dir;
        var names = Directory.EnumerateFileSystemEntries(full).Select(p => Path.GetFileName(p)).ToList();
        names.Sort(StringComparer.Ordinal);
        foreach (var name in names)
        {
            var relative = dir.Length == 0 ? name : dir + "/" + name;
            var path = upper + "/" + relative;
            var st = Stat(path);
            var type = st.Mode & S_IFMT;
            var mtime = Clamp(st.MtimeSec, options);
            if (type == S_IFCHR && st.RdevMajor == 0 && st.RdevMinor == 0)
            {
                if (lowers.Any(l => LayerPath.Lstat(Path.Combine(l, relative)) != NodeKind.Missing))
                {
                    var wh = (dir.Length == 0 ? "" : dir + "/") + ".wh." + name;
                    changes.Add(new LayerChange(wh, LayerChangeKind.Whiteout) { Uid = st.Uid, Gid = st.Gid, MtimeSeconds = mtime });
                }

                continue;
            }

            if (type == S_IFSOCK)
            {
                continue; // sockets are not layer content, as in docker
            }

            var common = new LayerChange(relative, LayerChangeKind.File)
            {
                Mode = st.Mode & 0xfff,
                Uid = st.Uid,
                Gid = st.Gid,
                MtimeSeconds = mtime,
                Xattrs = Xattrs(path),
            };
            switch (type)
            {
                case S_IFDIR:
                    changes.Add(common with { Name = relative + "/", Kind = LayerChangeKind.Directory });
                    if (Xattr(path, "trusted.overlay.opaque") is [(byte)'y'])
                    {
                        changes.Add(new LayerChange(relative + "/.wh..wh..opq", LayerChangeKind.Whiteout) { MtimeSeconds = mtime });
                    }

                    Walk(upper, relative, lowers, options, changes, inodes);
                    break;
                case S_IFREG:
                    var key = (st.DevMajor, st.DevMinor, st.Ino);
                    if (st.Nlink > 1 && inodes.TryGetValue(key, out var first))
                    {
                        changes.Add(common with { Kind = LayerChangeKind.HardLink, LinkName = first, Xattrs = new Dictionary<string, byte[]>() });
                        break;
                    }

                    inodes[key] = relative;
                    changes.Add(common with { Source = path, Size = (long)st.Size });
                    break;
                case S_IFLNK:
                    changes.Add(common with { Kind = LayerChangeKind.Symlink, LinkName = new FileInfo(path).LinkTarget, Mode = 0x1ff });
                    break;
                case S_IFCHR or S_IFBLK:
                    changes.Add(common with
                    {
                        Kind = type == S_IFCHR ? LayerChangeKind.CharDevice : LayerChangeKind.BlockDevice,
                        DevMajor = st.RdevMajor,
                        DevMinor = st.RdevMinor,
                    });
                    break;
                case S_IFIFO:
                    changes.Add(common with { Kind = LayerChangeKind.Fifo });
                    break;
            }
        }
    }

    private static long Clamp(long mtime, LayerDiffOptions options) =>
        options.SourceDateEpoch is { } epoch ? Math.Min(mtime, epoch.ToUnixTimeSeconds()) : mtime;

    private static TarBlockEntry ToEntry(LayerChange c) => new(c.Name, c.Kind switch
    {
        LayerChangeKind.Directory => (byte)'5',
        LayerChangeKind.Symlink => (byte)'2',
        LayerChangeKind.HardLink => (byte)'1',
        LayerChangeKind.CharDevice => (byte)'3',
        LayerChangeKind.BlockDevice => (byte)'4',
        LayerChangeKind.Fifo => (byte)'6',
        _ => (byte)'0',
    })
    {
        LinkName = c.LinkName,
        Mode = c.Mode,
        Uid = c.Uid,
        Gid = c.Gid,
        Size = c.Source is null ? 0 : c.Size,
        MtimeSeconds = c.MtimeSeconds,
        DevMajor = c.DevMajor,
        DevMinor = c.DevMinor,
        Xattrs = c.Xattrs,
    };

    private static async Task CopyExactlyAsync(string source, long size, Stream output, CancellationToken ct)
    {
        // Reads are synchronous: async reads of a file opened without FileOptions.Asynchronous
        // hop to the thread pool each time. The output may be a socket, so writes stay async.
        using var file = new FileStream(source, FileMode.Open, FileAccess.Read, FileShare.Read, 0, FileOptions.SequentialScan);
        {
            var buffer = new byte[128 * 1024];
            var left = size;
            while (left > 0)
            {
                var n = file.Read(buffer, 0, (int)Math.Min(buffer.Length, left));
                if (n == 0)
                {
                    throw BerthException.FailedPrecondition($"diff: read `{source}`: file shrank while being written");
                }

                await output.WriteAsync(buffer.AsMemory(0, n), ct).ConfigureAwait(false);
                left -= n;
            }
        }
    }

    private static unsafe Statx Stat(string path)
    {
        Statx st;
        if (Libc.statx(Libc.AT_FDCWD, path, Libc.AT_SYMLINK_NOFOLLOW, Libc.STATX_BASIC_STATS, &st) < 0)
        {
            throw Errno.Last($"statx `{path}`");
        }

        return st;
    }

    private static unsafe Dictionary<string, byte[]> Xattrs(string path)
    {
        var result = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        var list = new byte[65536];
        nint n;
        fixed (byte* p = list)
        {
            n = Libc.llistxattr(path, p, (nuint)list.Length);
        }

        if (n <= 0)
        {
            return result; // no xattrs, or a filesystem without them
        }

        foreach (var name in Encoding.UTF8.GetString(list, 0, (int)n).Split('\0', StringSplitOptions.RemoveEmptyEntries))
        {
            if (name.StartsWith(OverlayXattrPrefix, StringComparison.Ordinal))
            {
                continue; // overlay's own bookkeeping, not content
            }

            if (Xattr(path, name) is { } value)
            {
                result[name] = value;
            }
        }

        return result;
    }

    private static unsafe byte[]? Xattr(string path, string name)
    {
        var buffer = new byte[65536];
        fixed (byte* p = buffer)
        {
            var n = Libc.lgetxattr(path, name, p, (nuint)buffer.Length);
            return n < 0 ? null : buffer[..(int)n];
        }
    }
}
