using System.Runtime.InteropServices;
using Berth.Errdefs;

namespace Berth.Build.Context;

/// <summary>What <c>statx(2)</c> with <c>AT_SYMLINK_NOFOLLOW</c> says about a path.</summary>
public readonly partial record struct FileStat(uint Mode, uint Uid, uint Gid, ulong Size)
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
    public static FileStat? TryLstat(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        Span<byte> buf = stackalloc byte[256];
        buf.Clear();
        int rc;
        unsafe
        {
            fixed (byte* p = buf)
            {
                rc = Native.statx(AtFdCwd, path, AtSymlinkNoFollow, StatxBasicStats, p);
            }
        }
        if (rc != 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            if (errno is 2 or 20) // ENOENT, ENOTDIR
            {
                return null;
            }
            throw new BerthException(ErrorKind.Internal, $"stat `{path}`: {Marshal.GetPInvokeErrorMessage(errno)}") { Errno = errno };
        }
        // struct statx: u32 mask, u32 blksize, u64 attributes, u32 nlink, u32 uid, u32 gid,
        // u16 mode, u16 pad, u64 ino, u64 size, ...
        var uid = BitConverter.ToUInt32(buf[20..]);
        var gid = BitConverter.ToUInt32(buf[24..]);
        var mode = BitConverter.ToUInt16(buf[28..]);
        var size = BitConverter.ToUInt64(buf[40..]);
        return new FileStat(mode, uid, gid, size);
    }

    private const int AtFdCwd = -100;
    private const int AtSymlinkNoFollow = 0x100;
    private const uint StatxBasicStats = 0x7FF;

    private static partial class Native
    {
        [LibraryImport("libc", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
        internal static unsafe partial int statx(int dirfd, string path, int flags, uint mask, byte* buf);
    }
}
