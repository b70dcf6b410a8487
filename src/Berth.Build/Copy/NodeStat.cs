using System.Runtime.InteropServices;
using Berth.Linux;
using Berth.Linux.Interop;

namespace Berth.Build.Copy;

/// <summary>What a copy needs from <c>statx(2)</c>: type and mode, owner, times, and the link identity.</summary>
internal readonly record struct NodeStat(
    uint Mode, uint Uid, uint Gid, ulong Size, long MtimeSec, uint MtimeNsec,
    ulong Ino, uint DevMajor, uint DevMinor, uint RdevMajor, uint RdevMinor, uint Nlink)
{
    public const uint TypeMask = 0xF000;
    public const uint Fifo = 0x1000;
    public const uint Char = 0x2000;
    public const uint Dir = 0x4000;
    public const uint Block = 0x6000;
    public const uint Regular = 0x8000;
    public const uint Symlink = 0xA000;
    public const uint Socket = 0xC000;

    public uint Type => Mode & TypeMask;

    /// <summary>Permission bits with setuid, setgid and sticky.</summary>
    public uint Permissions => Mode & 0xFFF;

    public bool IsDirectory => Type == Dir;

    public bool IsRegular => Type == Regular;

    public bool IsSymlink => Type == Symlink;

    /// <summary>Stats <paramref name="path"/>; null if it does not exist (or a parent is not a directory).</summary>
    public static NodeStat? Lstat(string path) => Stat(path, follow: false);

    /// <summary>As <see cref="Lstat"/>, following a final symlink (only ever used on resolved paths).</summary>
    public static NodeStat? StatFollow(string path) => Stat(path, follow: true);

    private static unsafe NodeStat? Stat(string path, bool follow)
    {
        Statx st;
        if (Libc.statx(Libc.AT_FDCWD, path, follow ? 0 : Libc.AT_SYMLINK_NOFOLLOW, Libc.STATX_BASIC_STATS, &st) != 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            if (errno is Errno.ENOENT or Errno.ENOTDIR or Errno.ELOOP)
            {
                return null;
            }
            throw Errno.Exception($"stat `{path}`", errno);
        }
        return new NodeStat(st.Mode, st.Uid, st.Gid, st.Size, st.MtimeSec, st.MtimeNsec,
            st.Ino, st.DevMajor, st.DevMinor, st.RdevMajor, st.RdevMinor, st.Nlink);
    }
}
