using System.Runtime.InteropServices;
using Berth.Linux;
using Berth.Linux.Interop;

namespace Berth.Build.Context;

/// <summary>What <c>statx(2)</c> with <c>AT_SYMLINK_NOFOLLOW</c> says about a path.</summary>
public readonly record struct FileStat(uint Mode, uint Uid, uint Gid, ulong Size)
{
    public const uint TypeMask = 0xF000; // S_IFMT
    public const uint Regular = 0x8000;  // S_IFREG
    public const uint DirectoryType = 0x4000; // S_IFDIR
    public const uint SymlinkType = 0xA000; // S_IFLNK

    /// <summary>Permission bits with setuid, setgid and sticky (07777).</summary>
    public uint Permissions => Mode & 0xFFF;

    public uint FileType => Mode & TypeMask;

    public bool IsDirectory => FileType == DirectoryType;

    public bool IsSymlink => FileType == SymlinkType;

    public bool IsRegular => FileType == Regular;

    /// <summary>Stats <paramref name="path"/> without following a final symlink; null if it does not exist.</summary>
    public static unsafe FileStat? TryLstat(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        Statx st;
        if (Libc.statx(Libc.AT_FDCWD, path, Libc.AT_SYMLINK_NOFOLLOW, Libc.STATX_BASIC_STATS, &st) != 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            if (errno is Errno.ENOENT or Errno.ENOTDIR)
                return null;
            throw Errno.Exception($"stat `{path}`", errno);
        }
        return new FileStat(st.Mode, st.Uid, st.Gid, st.Size);
    }
}
