using Berth.Linux.Files;
using Berth.Errdefs;
using Berth.Linux;
using Berth.Linux.Interop;
using Microsoft.Win32.SafeHandles;

namespace Berth.Build.Copy;

/// <summary>
/// Creates nodes inside a root directory and sets their metadata, never following a final
/// symlink: files are created with O_EXCL, owners set with lchown, times with
/// utimensat(AT_SYMLINK_NOFOLLOW), and a symlink's mode is never touched. Callers resolve parents
/// with <see cref="RootPath"/> first. Errors name the path as the container sees it.
/// </summary>
internal sealed class NodeWriter(string root)
{
    public string Root { get; } = root;

    /// <summary>The path as seen from inside the root.</summary>
    public string Shown(string full) => full == Root ? "/" : "/" + RootPath.Relative(Root, full);

    /// <summary>
    /// Makes <paramref name="full"/> and any missing parents (up to the root), each with
    /// <paramref name="mode"/> and <paramref name="owner"/>; existing directories are left alone.
    /// Returns whether <paramref name="full"/> itself was created.
    /// </summary>
    public bool MkdirAll(string full, uint mode, Owner owner)
    {
        if (NodeStat.Lstat(full) is { } st)
        {
            return st.IsDirectory ? false : throw Errno.Exception($"mkdir `{Shown(full)}`", Errno.ENOTDIR);
        }
        if (full != Root && Path.GetDirectoryName(full) is { } parent && parent.Length >= Root.TrimEnd('/').Length)
        {
            MkdirAll(parent, mode, owner);
        }
        Mkdir(full, mode);
        SetOwner(full, owner);
        SetMode(full, mode);
        return true;
    }

    public void Mkdir(string full, uint mode)
    {
        if (Libc.mkdir(full, mode & Modes.All) != 0)
        {
            throw Errno.Last($"mkdir `{Shown(full)}`");
        }
    }

    /// <summary>Clears the way for a non-directory: a directory there is an error (as BuildKit), anything else is removed.</summary>
    public void ClearForFile(string full)
    {
        if (NodeStat.Lstat(full) is not { } st)
        {
            return;
        }
        if (st.IsDirectory)
        {
            throw BerthException.Conflict($"cannot replace to directory {Shown(full)} with file");
        }
        Unlink(full);
    }

    /// <summary>Removes whatever is at <paramref name="full"/>, a directory with all below it (symlinks are removed, not followed).</summary>
    public void RemoveAll(string full)
    {
        if (NodeStat.Lstat(full) is not { } st)
        {
            return;
        }
        if (!st.IsDirectory)
        {
            Unlink(full);
            return;
        }
        try
        {
            Directory.Delete(full, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw BerthException.Wrap(e, $"remove `{Shown(full)}`");
        }
    }

    private void Unlink(string full)
    {
        if (Libc.unlink(full) != 0)
        {
            throw Errno.Last($"remove `{Shown(full)}`");
        }
    }

    /// <summary>A new regular file with the bytes of <paramref name="content"/>.</summary>
    public async Task WriteFileAsync(string full, Stream content, uint mode, CancellationToken ct)
    {
        SafeFileHandle handle;
        try
        {
            // CreateNew is O_CREAT|O_EXCL: it fails rather than write through a symlink.
            handle = File.OpenHandle(full, FileMode.CreateNew, FileAccess.Write, FileShare.None, FileOptions.None);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw BerthException.Wrap(e, $"create `{Shown(full)}`");
        }
        using (handle)
        {
            try
            {
                await using var output = new FileStream(handle, FileAccess.Write, 1 << 16);
                await content.CopyToAsync(output, 1 << 16, ct).ConfigureAwait(false);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw BerthException.Wrap(e, $"write `{Shown(full)}`");
            }
        }
        SetMode(full, mode);
    }

    public async Task CopyFileAsync(string source, string full, uint mode, CancellationToken ct)
    {
        FileStream input;
        try
        {
            input = new FileStream(source, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1 << 16);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw BerthException.Wrap(e, $"read `{source}`");
        }
        await using (input.ConfigureAwait(false))
        {
            await WriteFileAsync(full, input, mode, ct).ConfigureAwait(false);
        }
    }

    public void Symlink(string target, string full)
    {
        if (Libc.symlink(target, full) != 0)
        {
            throw Errno.Last($"symlink `{Shown(full)}`");
        }
    }

    public void HardLink(string existing, string full)
    {
        if (Libc.linkat(Libc.AT_FDCWD, existing, Libc.AT_FDCWD, full, 0) != 0)
        {
            throw Errno.Last($"link `{Shown(full)}` to `{Shown(existing)}`");
        }
    }

    public void Mknod(string full, uint mode, uint major, uint minor)
    {
        if (Libc.mknod(full, mode, Libc.makedev(major, minor)) != 0)
        {
            throw Errno.Last($"mknod `{Shown(full)}`");
        }
    }

    public void SetOwner(string full, Owner owner)
    {
        if (Libc.lchown(full, owner.Uid, owner.Gid) != 0)
        {
            throw Errno.Last($"chown `{Shown(full)}` to {owner.Uid}:{owner.Gid}");
        }
    }

    /// <summary>Sets permission bits (setuid, setgid, sticky too) on a node that is not a symlink; call after <see cref="SetOwner"/>, which clears setuid.</summary>
    public void SetMode(string full, uint mode)
    {
        if (Libc.chmod(full, mode & Modes.All) != 0)
        {
            throw Errno.Last($"chmod `{Shown(full)}`");
        }
    }

    /// <summary>Sets access and modification time to the given time, on the node itself.</summary>
    public unsafe void SetTimes(string full, long seconds, uint nanoseconds)
    {
        var times = stackalloc Timespec[2];
        times[0] = new Timespec { Sec = seconds, Nsec = nanoseconds };
        times[1] = times[0];
        if (Libc.utimensat(Libc.AT_FDCWD, full, times, Libc.AT_SYMLINK_NOFOLLOW) != 0)
        {
            throw Errno.Last($"set times of `{Shown(full)}`");
        }
    }
}
