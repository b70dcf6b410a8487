using System.Text;
using Berth.Linux;
using Berth.Linux.Interop;

namespace Berth.Engine.Monitor;

/// <summary>
/// Binds and connects unix sockets by path. sun_path holds 108 bytes and container directories
/// can be deeper, so a long path is reached through <c>/proc/self/fd/DIRFD/NAME</c> (as podman does).
/// </summary>
internal static unsafe class UnixSockets
{
    private const int MaxPath = 107;

    /// <summary>A non-blocking listening socket at <paramref name="path"/> (an old socket file there is replaced).</summary>
    public static int Listen(string path, int type, int backlog)
    {
        var fd = Errno.Check(Libc.socket(Libc.AF_UNIX, type | Libc.SOCK_CLOEXEC | Libc.SOCK_NONBLOCK, 0), $"create socket `{path}`");
        try
        {
            File.Delete(path);
            WithAddress(path, (address, length) => Libc.bind(fd, address, length), "bind");
            Errno.Check(Libc.listen(fd, backlog), $"listen on `{path}`");
            return fd;
        }
        catch
        {
            Libc.close(fd);
            throw;
        }
    }

    /// <summary>A blocking socket of <paramref name="type"/> connected to <paramref name="path"/>.</summary>
    public static int Connect(string path, int type)
    {
        var fd = Errno.Check(Libc.socket(Libc.AF_UNIX, type | Libc.SOCK_CLOEXEC, 0), $"create socket for `{path}`");
        try
        {
            WithAddress(path, (address, length) => Libc.connect(fd, address, length), "connect to");
            return fd;
        }
        catch
        {
            Libc.close(fd);
            throw;
        }
    }

    private delegate int AddressAction(void* address, uint length);

    private static void WithAddress(string path, AddressAction action, string verb)
    {
        var dirFd = -1;
        var target = path;
        if (Encoding.UTF8.GetByteCount(path) > MaxPath)
        {
            var dir = Path.GetDirectoryName(path) ?? "/";
            dirFd = Errno.Check(Libc.open(dir, Libc.O_PATH | Libc.O_DIRECTORY | Libc.O_CLOEXEC, 0), $"open `{dir}`");
            target = $"/proc/self/fd/{dirFd}/{Path.GetFileName(path)}";
        }
        try
        {
            var bytes = Encoding.UTF8.GetBytes(target);
            if (bytes.Length > MaxPath)
                throw Errno.Exception($"{verb} `{path}`: socket name too long", Errno.EINVAL);
            var address = stackalloc byte[110];
            new Span<byte>(address, 110).Clear();
            address[0] = Libc.AF_UNIX;
            bytes.CopyTo(new Span<byte>(address + 2, 108));
            if (action(address, (uint)(2 + bytes.Length + 1)) != 0)
                throw Errno.Last($"{verb} `{path}`");
        }
        finally
        {
            if (dirFd >= 0)
                Libc.close(dirFd);
        }
    }
}
