using Berth.Linux.Interop;

namespace Berth.Linux;

/// <summary>unshare(2) and setns(2) for the calling thread.</summary>
public static class Namespaces
{
    public static void Unshare(int flags)
    {
        if (Libc.unshare(flags) != 0)
            throw Errno.Last($"unshare namespaces 0x{flags:x}");
    }

    /// <summary>Joins the namespace at <paramref name="path"/> (a /proc/PID/ns/* file or a bind mount of one).</summary>
    public static void Join(string path, int flag)
    {
        var fd = Libc.open(path, Libc.O_RDONLY | Libc.O_CLOEXEC, 0);
        if (fd < 0)
            throw Errno.Last($"open namespace `{path}`");
        try
        {
            // setns into a mount namespace needs a thread that shares its fs_struct with no one.
            if (flag == NamespaceFlags.CLONE_NEWNS && Libc.unshare(NamespaceFlags.CLONE_FS) != 0)
                throw Errno.Last("unshare fs attributes");
            if (Libc.setns(fd, flag) != 0)
                throw Errno.Last($"join namespace `{path}`");
        }
        finally
        {
            Libc.close(fd);
        }
    }
}
