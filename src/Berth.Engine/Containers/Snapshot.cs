using Berth.Errdefs;
using Berth.Linux;
using Berth.Linux.Interop;

namespace Berth.Engine.Containers;

/// <summary>
/// A container's writable filesystem: an overlayfs of the image's unpacked layers (read-only
/// lowers, shared) under the container's own <c>upper</c> and <c>work</c> directories, mounted at
/// <c>DIR/rootfs</c>. Active while the container exists; the upper directory is what
/// <c>diff</c>, <c>commit</c> and <c>export</c> read. The mount lives in the host's mount namespace
/// so it outlasts the command that made it; <see cref="Unmount"/> detaches it when the container
/// stops for good or is removed.
/// </summary>
public static class Snapshot
{
    public static string RootfsPath(string dir) => Path.Combine(dir, "rootfs");

    public static string UpperPath(string dir) => Path.Combine(dir, "upper");

    /// <summary>Makes the directories of a new snapshot (before the container is visible).</summary>
    public static void Prepare(string dir)
    {
        Directory.CreateDirectory(UpperPath(dir));
        Directory.CreateDirectory(Path.Combine(dir, "work"));
        Directory.CreateDirectory(RootfsPath(dir));
        Directory.CreateDirectory(Path.Combine(dir, "empty"));
    }

    /// <summary>Mounts the overlay if it is not mounted yet. <paramref name="lowers"/> is top layer first.</summary>
    public static void Mount(string dir, IReadOnlyList<string> lowers)
    {
        var rootfs = RootfsPath(dir);
        if (IsMounted(dir))
            return;
        var lowerdir = lowers.Count == 0 ? Path.Combine(dir, "empty") : string.Join(':', lowers);
        var data = $"lowerdir={lowerdir},upperdir={UpperPath(dir)},workdir={Path.Combine(dir, "work")}";
        if (data.Length >= 4096)
            throw BerthException.InvalidArgument($"mount container rootfs: {lowers.Count} layers are more than one overlay mount can name");
        try
        {
            Mounts.Mount("overlay", rootfs, "overlay", 0, data);
        }
        catch (BerthException e)
        {
            throw e.Wrap("mount container rootfs");
        }
    }

    /// <summary>Detaches the overlay (lazily: a process still inside keeps its view). No-op when not mounted.</summary>
    public static void Unmount(string dir)
    {
        while (IsMounted(dir))
            Mounts.Unmount(RootfsPath(dir), Libc.MNT_DETACH);
    }

    /// <summary>True when DIR/rootfs is a mount point (its device differs from DIR's).</summary>
    public static unsafe bool IsMounted(string dir)
    {
        Statx parent, rootfs;
        if (Libc.statx(Libc.AT_FDCWD, dir, Libc.AT_SYMLINK_NOFOLLOW, Libc.STATX_BASIC_STATS, &parent) != 0)
            return false;
        if (Libc.statx(Libc.AT_FDCWD, RootfsPath(dir), Libc.AT_SYMLINK_NOFOLLOW, Libc.STATX_BASIC_STATS, &rootfs) != 0)
            return false;
        return parent.DevMajor != rootfs.DevMajor || parent.DevMinor != rootfs.DevMinor;
    }
}
