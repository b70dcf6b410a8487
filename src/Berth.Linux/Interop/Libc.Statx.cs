using System.Runtime.InteropServices;

namespace Berth.Linux.Interop;

/// <summary>statx(2): the same struct on every architecture, unlike struct stat.</summary>
public static unsafe partial class Libc
{
    public const uint STATX_BASIC_STATS = 0x7ff;

    [LibraryImport(C, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int statx(int dirfd, string path, int flags, uint mask, Statx* buf);
}

/// <summary>struct statx from linux/stat.h (256 bytes).</summary>
[StructLayout(LayoutKind.Explicit, Size = 256)]
public struct Statx
{
    [FieldOffset(0)] public uint Mask;
    [FieldOffset(4)] public uint Blksize;
    [FieldOffset(8)] public ulong Attributes;
    [FieldOffset(16)] public uint Nlink;
    [FieldOffset(20)] public uint Uid;
    [FieldOffset(24)] public uint Gid;
    [FieldOffset(28)] public ushort Mode;
    [FieldOffset(32)] public ulong Ino;
    [FieldOffset(40)] public ulong Size;
    [FieldOffset(48)] public ulong Blocks;
    [FieldOffset(96)] public long CtimeSec;
    [FieldOffset(104)] public uint CtimeNsec;
    [FieldOffset(112)] public long MtimeSec;
    [FieldOffset(120)] public uint MtimeNsec;
    [FieldOffset(128)] public uint RdevMajor;
    [FieldOffset(132)] public uint RdevMinor;
    [FieldOffset(136)] public uint DevMajor;
    [FieldOffset(140)] public uint DevMinor;
}
