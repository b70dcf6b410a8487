using Berth.Linux.Interop;
using static Berth.Linux.Interop.Libc;

namespace Berth.Linux;

/// <summary>mount(2), umount2(2) and pivot_root(2), throwing on failure with the target named.</summary>
public static class Mounts
{
    public static void Mount(string? source, string target, string? type, ulong flags, string? data)
    {
        if (Libc.mount(source, target, type, flags, string.IsNullOrEmpty(data) ? null : data) != 0)
            throw Errno.Last($"mount `{source ?? "none"}` to `{target}`");
    }

    public static void SetPropagation(string target, ulong propagation)
    {
        if (Libc.mount(null, target, null, propagation, null) != 0)
            throw Errno.Last($"set propagation of `{target}`");
    }

    /// <summary>Remounts an existing bind mount with new per-mount flags (ro, nosuid…).</summary>
    public static void RemountBind(string target, ulong flags)
    {
        if (Libc.mount(null, target, null, flags | MS_BIND | MS_REMOUNT, null) == 0)
            return;
        var errno = System.Runtime.InteropServices.Marshal.GetLastPInvokeError();
        // A bind remount must keep the locked flags of the mount underneath (nodev, nosuid…
        // set by the parent namespace); retry with them, as runc does.
        if (errno == Errno.EPERM && TryGetMountFlags(target, out var locked))
        {
            if (Libc.mount(null, target, null, flags | locked | MS_BIND | MS_REMOUNT, null) == 0)
                return;
            errno = System.Runtime.InteropServices.Marshal.GetLastPInvokeError();
        }
        throw Errno.Exception($"remount `{target}`", errno);
    }

    public static void Unmount(string target, int flags)
    {
        if (umount2(target, flags) != 0)
            throw Errno.Last($"unmount `{target}`");
    }

    public static void PivotRoot(string newRoot, string putOld)
    {
        unsafe
        {
            var a = System.Text.Encoding.UTF8.GetBytes(newRoot + "\0");
            var b = System.Text.Encoding.UTF8.GetBytes(putOld + "\0");
            fixed (byte* pa = a, pb = b)
            {
                if (syscall(Sys.PivotRoot, (long)pa, (long)pb, 0, 0, 0, 0) != 0)
                    throw Errno.Last($"pivot_root `{newRoot}`");
            }
        }
    }

    /// <summary>Reads the per-mount flags (nosuid, nodev, noexec, ro, atime) of the mount at a path.</summary>
    public static bool TryGetMountFlags(string path, out ulong flags)
    {
        flags = 0;
        unsafe
        {
            var buf = stackalloc ulong[16];
            if (Libc.statvfs(path, buf) != 0)
                return false;
            // struct statvfs: f_flag is the tenth 64-bit field. ST_* values equal MS_* values
            // except ST_RELATIME (0x1000), which maps to MS_RELATIME.
            const ulong Locked = MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC | MS_NOATIME | MS_NODIRATIME;
            const ulong ST_RELATIME = 0x1000;
            flags = (buf[9] & Locked) | ((buf[9] & ST_RELATIME) != 0 ? MS_RELATIME : 0);
            return true;
        }
    }
}
