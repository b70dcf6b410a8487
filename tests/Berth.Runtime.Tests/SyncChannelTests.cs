using System.Text;
using Berth.Errdefs;
using Berth.Linux.Interop;
using Berth.Oci.Runtime;
using Berth.Runtime.Init;

namespace Berth.Runtime.Tests;

public sealed class SyncChannelTests : IDisposable
{
    private readonly SyncChannel _parent;
    private readonly SyncChannel _child;

    public SyncChannelTests()
    {
        var (parent, childFd) = SyncChannel.CreatePair();
        _parent = parent;
        _child = new SyncChannel(childFd);
    }

    public void Dispose()
    {
        _parent.Dispose();
        _child.Dispose();
    }

    [Fact]
    public void BothEndsAreCloseOnExec()
    {
        Assert.Equal(Libc.FD_CLOEXEC, Libc.fcntl(_parent.Fd, Libc.F_GETFD, 0) & Libc.FD_CLOEXEC);
        Assert.Equal(Libc.FD_CLOEXEC, Libc.fcntl(_child.Fd, Libc.F_GETFD, 0) & Libc.FD_CLOEXEC);
    }

    [Fact]
    public void MessagesRoundTripBothWays()
    {
        _parent.Send(new SyncMessage { Type = SyncType.Joined });
        _child.Send(new SyncMessage { Type = SyncType.Error, Message = "mount `/proc`: permission denied\nsecond line" });

        Assert.Equal(SyncType.Joined, _child.Receive()!.Type);
        var error = _parent.Receive()!;
        Assert.Equal(SyncType.Error, error.Type);
        Assert.Equal("mount `/proc`: permission denied\nsecond line", error.Message);
        Assert.Null(error.Request);
    }

    [Fact]
    public void ARequestWithASpecRoundTrips()
    {
        var request = new InitRequest
        {
            Mode = InitMode.Exec,
            Id = "web",
            Bundle = "/bundles/web",
            Rootfs = "/bundles/web/rootfs",
            Spec = new Spec
            {
                OciVersion = "1.2.0",
                Hostname = "web",
                Process = new Process { Args = ["sh", "-c", "echo ✓"], Env = [.. Enumerable.Range(0, 500).Select(i => $"VAR{i}=" + new string('x', 20))] },
            },
            Join = [new LinuxNamespace { Type = NamespaceType.Pid, Path = "/proc/42/ns/pid" }],
            NoPivot = true,
            PreserveFds = 2,
            ConsoleSocketFd = 5,
            StateDirFd = 6,
        };
        _parent.Send(new SyncMessage { Type = SyncType.Request, Request = request });
        var received = _child.Receive()!.Request!;
        Assert.Equal(InitMode.Exec, received.Mode);
        Assert.Equal("web", received.Id);
        Assert.Equal("/bundles/web/rootfs", received.Rootfs);
        Assert.Equal("web", received.Spec.Hostname);
        Assert.Equal(["sh", "-c", "echo ✓"], received.Spec.Process!.Args);
        Assert.Equal(request.Spec.Process!.Env, received.Spec.Process.Env);
        Assert.Equal("/proc/42/ns/pid", Assert.Single(received.Join!).Path);
        Assert.True(received.NoPivot);
        Assert.Equal(2, received.PreserveFds);
        Assert.Equal(5, received.ConsoleSocketFd);
        Assert.Equal(6, received.StateDirFd);
    }

    [Fact]
    public void SeveralMessagesInOneWriteAreReadOneByOne()
    {
        Write(_child.Fd, "{\"type\":\"hooks\"}\n{\"type\":\"ready\"}\n{\"type\":\"error\",\"message\":\"x\"}\n");
        Assert.Equal(SyncType.Hooks, _parent.Receive()!.Type);
        Assert.Equal(SyncType.Ready, _parent.Receive()!.Type);
        var last = _parent.Receive()!;
        Assert.Equal(SyncType.Error, last.Type);
        Assert.Equal("x", last.Message);
    }

    [Fact]
    public async Task AMessageSplitAcrossWritesIsReassembled()
    {
        var receive = Task.Run(_parent.Receive);
        Write(_child.Fd, "{\"type\":");
        await Task.Delay(20);
        Assert.False(receive.IsCompleted);
        Write(_child.Fd, "\"ready\"}\n{\"type\":\"hoo");
        Assert.Equal(SyncType.Ready, (await receive.WaitAsync(TimeSpan.FromSeconds(5)))!.Type);
        Write(_child.Fd, "ks\"}\n");
        Assert.Equal(SyncType.Hooks, _parent.Receive()!.Type);
    }

    [Fact]
    public void EndOfFileIsNull()
    {
        _child.Send(new SyncMessage { Type = SyncType.Ready });
        _child.Dispose();
        Assert.Equal(SyncType.Ready, _parent.Receive()!.Type);
        Assert.Null(_parent.Receive());
        Assert.Null(_parent.Receive());
    }

    [Fact]
    public void EndOfFileInTheMiddleOfAMessageIsNull()
    {
        Write(_child.Fd, "{\"type\":\"rea");
        _child.Dispose();
        Assert.Null(_parent.Receive());
    }

    [Fact]
    public void ALineThatIsNotJsonIsAnInternalError()
    {
        Write(_child.Fd, "not json\n");
        var e = Assert.Throws<BerthException>(() => _parent.Receive());
        Assert.Equal(ErrorKind.Internal, e.Kind);
        Assert.Equal("bad sync message `not json`", e.Message);
    }

    [Fact]
    public void DisposeTwiceIsHarmless()
    {
        _child.Dispose();
        _child.Dispose();
        Assert.Equal(-1, _child.Fd);
    }

    private static unsafe void Write(int fd, string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        fixed (byte* p = bytes)
            Assert.Equal(bytes.Length, (int)Libc.write(fd, p, (nuint)bytes.Length));
    }
}
