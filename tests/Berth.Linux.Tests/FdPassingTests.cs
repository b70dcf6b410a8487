using Berth.Errdefs;
using Berth.Linux.Interop;
using Berth.Linux.Tests.Support;

namespace Berth.Linux.Tests;

public sealed class FdPassingTests
{
    [Fact]
    public void SendsADescriptorAndItsNameOverASocketpair()
    {
        var (a, b) = Fds.SocketPair();
        var (read, write) = Fds.Pipe();
        try
        {
            FdPassing.Send(a, write, "/dev/pts/7");
            var (received, name) = FdPassing.Receive(b);
            Assert.Equal("/dev/pts/7", name);
            Assert.NotEqual(write, received);
            Assert.True(received >= 0);
            // The received descriptor is the same pipe: what goes in comes out of the read end.
            Fds.Close(write);
            Fds.WriteAll(received, "through the passed fd");
            Fds.Close(received);
            Assert.Equal("through the passed fd", Fds.ReadToEnd(read));
        }
        finally
        {
            Fds.Close(a, b, read);
        }
    }

    [Fact]
    public void SeveralDescriptorsInTurn()
    {
        var (a, b) = Fds.SocketPair();
        var (read1, write1) = Fds.Pipe();
        var (read2, write2) = Fds.Pipe();
        try
        {
            FdPassing.Send(a, write1, "one");
            FdPassing.Send(a, write2, "two");
            var first = FdPassing.Receive(b);
            Assert.Equal("one", first.Name);
            var second = FdPassing.Receive(b);
            Assert.Equal("two", second.Name);
            Fds.Close(write1, write2);
            Fds.WriteAll(second.Fd, "2");
            Fds.WriteAll(first.Fd, "1");
            Fds.Close(first.Fd, second.Fd);
            Assert.Equal("1", Fds.ReadToEnd(read1));
            Assert.Equal("2", Fds.ReadToEnd(read2));
        }
        finally
        {
            Fds.Close(a, b, read1, read2);
        }
    }

    [Fact]
    public void AMessageWithoutADescriptorIsRejected()
    {
        var (a, b) = Fds.SocketPair();
        try
        {
            Fds.WriteAll(a, "just text");
            var e = Assert.Throws<BerthException>(() => FdPassing.Receive(b));
            Assert.Equal(Errno.EINVAL, e.Errno);
            Assert.Contains("no descriptor", e.Message);
        }
        finally
        {
            Fds.Close(a, b);
        }
    }

    [Fact]
    public void AClosedPeerIsAnErrorNotAHang()
    {
        var (a, b) = Fds.SocketPair();
        Fds.Close(a);
        try
        {
            Assert.Throws<BerthException>(() => FdPassing.Receive(b));
        }
        finally
        {
            Fds.Close(b);
        }
    }

    [Fact]
    public void SendOnABadSocketNamesTheCall()
    {
        var (read, write) = Fds.Pipe();
        try
        {
            var e = Assert.Throws<BerthException>(() => FdPassing.Send(read, write, "x"));
            Assert.StartsWith("send descriptor over the console socket: ", e.Message);
            Assert.NotEqual(0, e.Errno);
        }
        finally
        {
            Fds.Close(read, write);
        }
    }
}
