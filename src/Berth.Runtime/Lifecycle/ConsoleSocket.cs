using System.Text;
using Berth.Errdefs;
using Berth.Linux;
using Berth.Linux.Interop;

namespace Berth.Runtime.Lifecycle;

/// <summary>Connects to the unix socket named by --console-socket, where the pty master is sent.</summary>
internal static class ConsoleSocket
{
    public static unsafe int Connect(string path)
    {
        var bytes = Encoding.UTF8.GetBytes(path);
        if (bytes.Length >= 108)
            throw BerthException.InvalidArgument($"console socket path `{path}` is too long");
        var fd = Libc.socket(Libc.AF_UNIX, Libc.SOCK_STREAM | Libc.SOCK_CLOEXEC, 0);
        if (fd < 0)
            throw Errno.Last("create console socket");
        var address = stackalloc byte[110];
        new Span<byte>(address, 110).Clear();
        address[0] = Libc.AF_UNIX;
        bytes.CopyTo(new Span<byte>(address + 2, 108));
        if (Libc.connect(fd, address, (uint)(2 + bytes.Length + 1)) != 0)
        {
            var e = Errno.Last($"connect to console socket `{path}`");
            Libc.close(fd);
            throw e;
        }
        return fd;
    }
}
