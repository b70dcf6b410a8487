using Berth.Linux.Interop;

namespace Berth.Linux.Tests;

public sealed class PtyTests
{
    [Fact]
    public unsafe void OpensAnUnlockedPairAndResizesIt()
    {
        var (master, slavePath) = Pty.Open();
        try
        {
            Assert.Matches(@"^/dev/pts/\d+$", slavePath);
            var slave = Libc.open(slavePath, Libc.O_RDWR | Libc.O_NOCTTY | Libc.O_CLOEXEC, 0);
            Assert.True(slave >= 0, $"open {slavePath}: errno {System.Runtime.InteropServices.Marshal.GetLastPInvokeError()}");
            Pty.Resize(master, 24, 80);
            var size = stackalloc ushort[4];
            const ulong TIOCGWINSZ = 0x5413;
            Assert.Equal(0, Libc.ioctl(slave, TIOCGWINSZ, size));
            Assert.Equal(24, size[0]);
            Assert.Equal(80, size[1]);
            Libc.close(slave);
            Assert.Equal(Libc.FD_CLOEXEC, Libc.fcntl(master, Libc.F_GETFD, 0) & Libc.FD_CLOEXEC);
        }
        finally
        {
            Libc.close(master);
        }
    }

    [Fact]
    public void OpenOfAMissingPtmxNamesIt()
    {
        var e = Assert.Throws<Berth.Errdefs.BerthException>(() => Pty.Open("/nonexistent/ptmx"));
        Assert.Equal("open `/nonexistent/ptmx`: no such file or directory", e.Message);
    }

    [Fact]
    public unsafe void MakeRawAndRestoreOnTheSlave()
    {
        var (master, slavePath) = Pty.Open();
        var slave = Libc.open(slavePath, Libc.O_RDWR | Libc.O_NOCTTY | Libc.O_CLOEXEC, 0);
        try
        {
            const uint ICANON = 0x2, ECHO = 0x8;
            Assert.NotEqual(0u, LocalFlags(slave) & (ICANON | ECHO));
            var saved = Pty.MakeRaw(slave);
            Assert.NotNull(saved);
            Assert.Equal(0u, LocalFlags(slave) & (ICANON | ECHO));
            Pty.Restore(slave, saved);
            Assert.Equal(ICANON | ECHO, LocalFlags(slave) & (ICANON | ECHO));
        }
        finally
        {
            Libc.close(slave);
            Libc.close(master);
        }
    }

    [Fact]
    public void MakeRawOfAPipeIsNull()
    {
        var (read, write) = Support.Fds.Pipe();
        Assert.Null(Pty.MakeRaw(read));
        Support.Fds.Close(read, write);
    }

    [Fact]
    public unsafe void CopySizeCopiesBetweenTerminalsAndRefusesAPipe()
    {
        var (a, _) = Pty.Open();
        var (b, _) = Pty.Open();
        var (read, write) = Support.Fds.Pipe();
        try
        {
            Pty.Resize(a, 33, 101);
            Assert.True(Pty.CopySize(a, b));
            var size = stackalloc ushort[4];
            Assert.Equal(0, Libc.ioctl(b, 0x5413, size));
            Assert.Equal(33, size[0]);
            Assert.Equal(101, size[1]);
            Assert.False(Pty.CopySize(read, b));
        }
        finally
        {
            Support.Fds.Close(a, b, read, write);
        }
    }

    /// <summary>c_lflag of glibc's struct termios (after c_iflag, c_oflag, c_cflag).</summary>
    private static unsafe uint LocalFlags(int fd)
    {
        var termios = stackalloc byte[Libc.TermiosBytes];
        Assert.Equal(0, Libc.tcgetattr(fd, termios));
        return *(uint*)(termios + 12);
    }
}
