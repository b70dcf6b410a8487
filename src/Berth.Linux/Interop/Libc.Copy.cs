namespace Berth.Linux.Interop;

public static partial class Libc
{
    /// <summary>glibc's makedev(3): the 64-bit dev_t that mknod(2) takes, from statx's major and minor.</summary>
    public static ulong makedev(uint major, uint minor) =>
        ((ulong)(major & 0xfffff000) << 32) | ((ulong)(major & 0xfff) << 8) |
        ((ulong)(minor & 0xffffff00) << 12) | (minor & 0xff);
}
