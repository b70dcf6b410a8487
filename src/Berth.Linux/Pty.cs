using Berth.Linux.Interop;

namespace Berth.Linux;

/// <summary>Pseudo-terminal pairs from a devpts instance.</summary>
public static class Pty
{
    private const ulong TIOCGPTN = 0x80045430;
    private const ulong TIOCSPTLCK = 0x40045431;
    private const ulong TIOCSCTTY = 0x540E;
    private const ulong TIOCSWINSZ = 0x5414;
    private const ulong TIOCGWINSZ = 0x5413;

    /// <summary>Opens a new pty from <paramref name="ptmx"/>; returns the master and the slave path.</summary>
    public static unsafe (int Master, string SlavePath) Open(string ptmx = "/dev/ptmx")
    {
        var master = Libc.open(ptmx, Libc.O_RDWR | Libc.O_NOCTTY | Libc.O_CLOEXEC, 0);
        if (master < 0)
            throw Errno.Last($"open `{ptmx}`");
        int unlock = 0;
        uint number;
        if (Libc.ioctl(master, TIOCSPTLCK, &unlock) != 0 || Libc.ioctl(master, TIOCGPTN, &number) != 0)
        {
            var e = Errno.Last("unlock pty");
            Libc.close(master);
            throw e;
        }
        return (master, $"/dev/pts/{number}");
    }

    public static unsafe void MakeControllingTerminal(int fd)
    {
        if (Libc.ioctl(fd, TIOCSCTTY, null) != 0)
            throw Errno.Last("make the pty the controlling terminal");
    }

    public static unsafe void Resize(int fd, ushort rows, ushort columns)
    {
        var size = stackalloc ushort[4];
        size[0] = rows;
        size[1] = columns;
        size[2] = 0;
        size[3] = 0;
        if (Libc.ioctl(fd, TIOCSWINSZ, size) != 0)
            throw Errno.Last("set the pty size");
    }

    /// <summary>Copies the window size of terminal <paramref name="from"/> to <paramref name="to"/>; false if <paramref name="from"/> is no terminal.</summary>
    public static unsafe bool CopySize(int from, int to)
    {
        var size = stackalloc ushort[4];
        return Libc.ioctl(from, TIOCGWINSZ, size) == 0 && Libc.ioctl(to, TIOCSWINSZ, size) == 0;
    }

    /// <summary>Puts a terminal in raw mode; returns its previous settings for <see cref="Restore"/>, or null if it is no terminal.</summary>
    public static unsafe byte[]? MakeRaw(int fd)
    {
        if (Libc.isatty(fd) != 1)
            return null;
        var saved = new byte[Libc.TermiosBytes];
        var raw = stackalloc byte[Libc.TermiosBytes];
        fixed (byte* p = saved)
        {
            if (Libc.tcgetattr(fd, p) != 0)
                return null;
            new Span<byte>(p, Libc.TermiosBytes).CopyTo(new Span<byte>(raw, Libc.TermiosBytes));
        }
        Libc.cfmakeraw(raw);
        return Libc.tcsetattr(fd, Libc.TCSANOW, raw) == 0 ? saved : null;
    }

    public static unsafe void Restore(int fd, byte[] saved)
    {
        fixed (byte* p = saved)
            Libc.tcsetattr(fd, Libc.TCSANOW, p);
    }
}
