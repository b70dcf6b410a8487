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
}
