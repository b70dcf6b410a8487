using Berth.Errdefs;
using Berth.Linux;
using Berth.Linux.Interop;
using Berth.Oci.Runtime;

namespace Berth.Runtime.Init;

/// <summary>
/// Gives the container process a pseudo-terminal from the container's own devpts: the slave
/// becomes its stdio and controlling terminal, the master goes over the console socket to
/// whoever asked for it (an engine's shim, or berth-runtime itself in the foreground).
/// </summary>
internal static class Terminal
{
    public static void Setup(int consoleSocketFd, Box? size)
    {
        if (consoleSocketFd < 0)
            throw BerthException.InvalidArgument("a terminal was requested but no console socket was given");
        var (master, slavePath) = Pty.Open("/dev/ptmx");
        try
        {
            var slave = Libc.open(slavePath, Libc.O_RDWR | Libc.O_NOCTTY | Libc.O_CLOEXEC, 0);
            if (slave < 0)
                throw Errno.Last($"open `{slavePath}`");
            if (size is { Height: > 0, Width: > 0 })
                Pty.Resize(slave, (ushort)size.Height, (ushort)size.Width);
            for (var fd = 0; fd < 3; fd++)
            {
                if (Libc.dup3(slave, fd, 0) < 0)
                    throw Errno.Last($"dup the pty onto {fd}");
            }
            Libc.close(slave);
            Pty.MakeControllingTerminal(0);
            FdPassing.Send(consoleSocketFd, master, slavePath);
        }
        finally
        {
            Libc.close(master);
            Libc.close(consoleSocketFd);
        }
    }
}
