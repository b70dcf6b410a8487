using System.Formats.Tar;
using System.Text;
using Berth.Errdefs;
using Berth.Linux;
using Berth.Linux.Interop;

namespace Berth.Images.Layers;

/// <summary>One layer being applied: the entries so far, the directories whose metadata waits for their contents.</summary>
internal sealed class ApplyState(LayerPath paths, LayerOptions options)
{
    private const string WhiteoutPrefix = ".wh.";
    private const string WhiteoutMeta = ".wh..wh.";
    private const string WhiteoutOpaque = ".wh..wh..opq";
    private const uint S_IFCHR = 0x2000;
    private const uint S_IFBLK = 0x6000;
    private const uint S_IFIFO = 0x1000;

    // Root-relative real paths this layer wrote: an opaque directory keeps these.
    private readonly HashSet<string> _written = new(StringComparer.Ordinal);
    private readonly List<(string Path, TarEntry Entry, List<(string Name, byte[] Value)> Xattrs)> _directories = [];

    public LayerOptions Options => options;
    public int Entries { get; set; }
    public string Where { get; set; } = "first entry";

    public async Task ApplyAsync(TarEntry entry, byte[]? headers, CancellationToken ct)
    {
        CheckLength(entry.Name, "name");
        var components = Clean(entry.Name);
        if (components.Count == 0)
        {
            if (entry.EntryType != TarEntryType.Directory)
            {
                throw BerthException.InvalidArgument("only a directory may name the root");
            }

            _directories.Add(("", entry, Xattrs(entry, headers)));
            return;
        }

        var name = components[^1];
        components.RemoveAt(components.Count - 1);
        if (name.StartsWith(WhiteoutPrefix, StringComparison.Ordinal))
        {
            Whiteout(components, name, entry);
            return;
        }

        var parent = paths.ResolveDirectory(components, create: true)!;
        var relative = parent.Length == 0 ? name : parent + "/" + name;
        var full = paths.Full(relative);
        var existing = LayerPath.Lstat(full);
        var isDirectory = entry.EntryType == TarEntryType.Directory;
        if (existing != NodeKind.Missing && !(isDirectory && existing == NodeKind.Directory))
        {
            paths.Remove(full);
        }

        switch (entry.EntryType)
        {
            case TarEntryType.Directory:
                if (existing != NodeKind.Directory)
                {
                    Check(Libc.mkdir(full, 0x1c0 /* 0700 */), "mkdir", full);
                }

                _directories.Add((relative, entry, Xattrs(entry, headers)));
                _written.Add(relative);
                return;
            case TarEntryType.RegularFile or TarEntryType.V7RegularFile or TarEntryType.ContiguousFile:
                await WriteFileAsync(full, entry, ct).ConfigureAwait(false);
                break;
            case TarEntryType.SymbolicLink:
                CheckLength(entry.LinkName, "link target");
                Check(Libc.symlink(entry.LinkName, full), "symlink", full);
                break;
            case TarEntryType.HardLink:
                Link(full, entry);
                _written.Add(relative);
                return; // a hard link shares its target's inode and metadata
            case TarEntryType.CharacterDevice:
                Mknod(full, S_IFCHR, entry);
                break;
            case TarEntryType.BlockDevice:
                Mknod(full, S_IFBLK, entry);
                break;
            case TarEntryType.Fifo:
                Check(Libc.mknod(full, S_IFIFO | (uint)entry.Mode, 0), "mknod", full);
                break;
            default:
                throw BerthException.InvalidArgument($"unsupported entry type {entry.EntryType}");
        }

        _written.Add(relative);
        SetMetadata(full, entry, Xattrs(entry, headers), entry.EntryType == TarEntryType.SymbolicLink);
    }

    /// <summary>Directories get their mode, owner and times after their contents, deepest first.</summary>
    public void FinishDirectories()
    {
        for (var i = _directories.Count - 1; i >= 0; i--)
        {
            var (relative, entry, xattrs) = _directories[i];

            // A later entry may have replaced the directory or one of its parents (with a
            // symlink out, even): only a path that still resolves to itself gets metadata.
            var components = relative.Length == 0 ? [] : relative.Split('/');
            if (paths.ResolveDirectory(components, create: false) != relative)
            {
                continue;
            }

            try
            {
                SetMetadata(paths.Full(relative), entry, xattrs, symlink: false);
            }
            catch (BerthException e)
            {
                throw e.Wrap($"apply layer: entry `{entry.Name}`");
            }
        }
    }

    private List<string> Clean(string name)
    {
        try
        {
            return LayerPath.Clean(name);
        }
        catch (BerthException e)
        {
            throw e.Wrap($"clean `{name}`");
        }
    }

    private void CheckLength(string value, string what)
    {
        if (value.Length > options.MaxNameLength)
        {
            throw BerthException.InvalidArgument($"{what} longer than {options.MaxNameLength} characters");
        }

        if (value.Contains('\0'))
        {
            throw BerthException.InvalidArgument($"{what} contains a NUL byte");
        }
    }

    private void Whiteout(List<string> parentComponents, string name, TarEntry entry)
    {
        if (name == WhiteoutOpaque)
        {
            var dir = paths.ResolveDirectory(parentComponents, create: true)!;
            if (options.Whiteouts == WhiteoutFormat.Overlay)
            {
                SetXattr(paths.Full(dir), "trusted.overlay.opaque", "y"u8);
                return;
            }

            RemoveLower(dir);
            return;
        }

        if (name.StartsWith(WhiteoutMeta, StringComparison.Ordinal))
        {
            return; // reserved for other uses (aufs's .wh..wh.plnk); nothing to apply
        }

        var hidden = name[WhiteoutPrefix.Length..];
        if (hidden.Length == 0 || hidden == "." || hidden == "..")
        {
            throw BerthException.InvalidArgument("whiteout names no file");
        }

        var parent = paths.ResolveDirectory(parentComponents, create: options.Whiteouts == WhiteoutFormat.Overlay);
        if (parent is null)
        {
            return; // nothing below to hide
        }

        var full = paths.Full(parent.Length == 0 ? hidden : parent + "/" + hidden);
        if (options.Whiteouts == WhiteoutFormat.Overlay)
        {
            paths.Remove(full);
            Check(Libc.mknod(full, S_IFCHR, 0), "mknod", full);
            if (options.ApplyOwnership)
            {
                Check(Libc.lchown(full, (uint)entry.Uid, (uint)entry.Gid), "lchown", full);
            }

            return;
        }

        paths.Remove(full);
    }

    /// <summary>Removes from an opaque directory everything this layer did not write.</summary>
    private void RemoveLower(string dir)
    {
        var full = paths.Full(dir);
        foreach (var child in Directory.EnumerateFileSystemEntries(full).ToList())
        {
            var relative = (dir.Length == 0 ? "" : dir + "/") + Path.GetFileName(child);
            if (!_written.Contains(relative))
            {
                paths.Remove(child);
            }
            else if (LayerPath.Lstat(child) == NodeKind.Directory)
            {
                RemoveLower(relative);
            }
        }
    }

    private static async Task WriteFileAsync(string full, TarEntry entry, CancellationToken ct)
    {
        // Writes are synchronous on purpose: async writes to a file opened without
        // FileOptions.Asynchronous hop to the thread pool, a millisecond each on a busy machine,
        // and the page cache makes a small write cheap. Reads stay async: the source may be a socket.
        using var file = new FileStream(full, new FileStreamOptions
        {
            Mode = FileMode.CreateNew, // O_EXCL: never through a symlink
            Access = FileAccess.Write,
            Share = FileShare.None,
            BufferSize = 0,
            UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
        });
        if (entry.DataStream is not { } data)
        {
            return;
        }

        var buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(128 * 1024);
        try
        {
            int n;
            while ((n = await data.ReadAsync(buffer, ct).ConfigureAwait(false)) > 0)
            {
                file.Write(buffer, 0, n);
            }
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private void Link(string full, TarEntry entry)
    {
        CheckLength(entry.LinkName, "link target");
        List<string> components;
        try
        {
            components = LayerPath.Clean(entry.LinkName);
        }
        catch (BerthException e)
        {
            throw e.Wrap($"hard link target `{entry.LinkName}`");
        }

        if (components.Count == 0)
        {
            throw BerthException.InvalidArgument("hard link to the root");
        }

        var name = components[^1];
        components.RemoveAt(components.Count - 1);
        var parent = paths.ResolveDirectory(components, create: false)
            ?? throw BerthException.InvalidArgument($"hard link target `{entry.LinkName}` does not exist");
        var target = paths.Full(parent.Length == 0 ? name : parent + "/" + name);
        switch (LayerPath.Lstat(target))
        {
            case NodeKind.Missing:
                throw BerthException.InvalidArgument($"hard link target `{entry.LinkName}` does not exist");
            case NodeKind.Directory:
                throw BerthException.InvalidArgument($"hard link target `{entry.LinkName}` is a directory");
        }

        // linkat without AT_SYMLINK_FOLLOW links a symlink itself, never what it points to.
        Check(Libc.linkat(Libc.AT_FDCWD, target, Libc.AT_FDCWD, full, 0), "link", full);
    }

    private static void Mknod(string full, uint type, TarEntry entry)
    {
        if (entry is not PosixTarEntry posix)
        {
            throw BerthException.InvalidArgument("device entry in a format without device numbers");
        }

        var major = (ulong)posix.DeviceMajor;
        var minor = (ulong)posix.DeviceMinor;
        var dev = ((major & 0xfffff000) << 32) | ((major & 0xfff) << 8) | ((minor & 0xffffff00) << 12) | (minor & 0xff);
        Check(Libc.mknod(full, type | (uint)entry.Mode, dev), "mknod", full);
    }

    private unsafe void SetMetadata(string full, TarEntry entry, List<(string Name, byte[] Value)> xattrs, bool symlink)
    {
        // Order matters: chown clears set-id bits and security.capability, so it goes first.
        if (options.ApplyOwnership)
        {
            Check(Libc.lchown(full, (uint)entry.Uid, (uint)entry.Gid), "lchown", full);
        }

        if (!symlink)
        {
            Check(Libc.chmod(full, (uint)entry.Mode), "chmod", full);
        }

        foreach (var (name, value) in xattrs)
        {
            SetXattr(full, name, value);
        }

        var ticks = entry.ModificationTime.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks;
        var sec = Math.DivRem(ticks, TimeSpan.TicksPerSecond, out var rest);
        if (rest < 0)
        {
            sec--;
            rest += TimeSpan.TicksPerSecond;
        }

        var times = stackalloc Timespec[2];
        times[0] = times[1] = new Timespec { Sec = sec, Nsec = rest * 100 };
        Check(Libc.utimensat(Libc.AT_FDCWD, full, times, Libc.AT_SYMLINK_NOFOLLOW), "utimensat", full);
    }

    /// <summary>
    /// The entry's SCHILY.xattr.* records as raw bytes, read from the recorded header bytes
    /// (values System.Formats.Tar decoded as UTF-8 are used only when that fails). Taken when
    /// the entry is read, since a directory's are applied after its contents.
    /// </summary>
    private List<(string Name, byte[] Value)> Xattrs(TarEntry entry, byte[]? headers)
    {
        var result = new List<(string, byte[])>();
        if (entry is not PaxTarEntry pax)
        {
            return result;
        }

        Dictionary<string, byte[]>? raw = null;
        foreach (var (key, value) in pax.ExtendedAttributes)
        {
            if (!key.StartsWith(PaxXattrs.Prefix, StringComparison.Ordinal))
            {
                continue;
            }

            raw ??= headers is null ? [] : PaxXattrs.Parse(headers) ?? [];
            var name = key[PaxXattrs.Prefix.Length..];
            var bytes = raw.TryGetValue(name, out var b) ? b : Encoding.UTF8.GetBytes(value);
            if (bytes.Length > options.MaxXattrSize)
            {
                throw BerthException.InvalidArgument($"xattr `{name}` larger than {options.MaxXattrSize} bytes");
            }

            result.Add((name, bytes));
        }

        return result;
    }

    private static unsafe void SetXattr(string full, string name, ReadOnlySpan<byte> value)
    {
        fixed (byte* p = value)
        {
            Check(Libc.lsetxattr(full, name, p, (nuint)value.Length, 0), $"lsetxattr {name}", full);
        }
    }

    private static void Check(int result, string call, string full)
    {
        if (result < 0)
        {
            throw Errno.Last($"{call} `{Path.GetFileName(full)}`");
        }
    }
}
