using System.Net.Sockets;
using Berth.Errdefs;
using Berth.Linux;
using Berth.Linux.Interop;
using Berth.Runtime.Lifecycle;
using Berth.Runtime.Tests.Support;

namespace Berth.Runtime.Tests;

public sealed class ConsoleSocketTests : IDisposable
{
    private readonly TempDir _dir = new("berth-cs-");

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task ConnectsAndADescriptorSentThroughItArrives()
    {
        var path = _dir["console.sock"];
        using var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        listener.Bind(new UnixDomainSocketEndPoint(path));
        listener.Listen(1);
        var accept = listener.AcceptAsync();
        var fd = ConsoleSocket.Connect(path);
        try
        {
            Assert.Equal(Libc.FD_CLOEXEC, Libc.fcntl(fd, Libc.F_GETFD, 0) & Libc.FD_CLOEXEC);
            using var server = await accept.WaitAsync(TimeSpan.FromSeconds(5));
            var (master, slave) = Pty.Open();
            FdPassing.Send(fd, master, slave);
            Libc.close(master);
            var (received, name) = FdPassing.Receive((int)server.Handle);
            Assert.Equal(slave, name);
            Assert.True(received >= 0);
            Libc.close(received);
        }
        finally
        {
            Libc.close(fd);
        }
    }

    [Fact]
    public void AMissingSocketNamesThePath()
    {
        var path = _dir["missing.sock"];
        var e = Assert.Throws<BerthException>(() => ConsoleSocket.Connect(path));
        Assert.Equal(ErrorKind.NotFound, e.Kind);
        Assert.Equal($"connect to console socket `{path}`: no such file or directory", e.Message);
    }

    [Fact]
    public void APathTooLongForSunPathIsInvalid()
    {
        var path = "/tmp/" + new string('x', 103);
        var e = Assert.Throws<BerthException>(() => ConsoleSocket.Connect(path));
        Assert.Equal(ErrorKind.InvalidArgument, e.Kind);
        Assert.Contains("too long", e.Message);
    }
}
