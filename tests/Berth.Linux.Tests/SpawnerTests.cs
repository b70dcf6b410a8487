using Berth.Errdefs;
using Berth.Linux.Interop;
using Berth.Linux.Tests.Support;

namespace Berth.Linux.Tests;

public sealed class SpawnerTests
{
    private static readonly string[] NoEnv = [];

    [Fact]
    public void WaitReturnsTheExitCode()
    {
        var pid = Spawner.Spawn(new SpawnRequest("/bin/sh", ["sh", "-c", "exit 3"], NoEnv));
        Assert.True(pid > 0);
        Assert.Equal(3, Children.Wait(pid));
    }

    [Fact]
    public void WaitReturns128PlusTheSignal()
    {
        var pid = Spawner.Spawn(new SpawnRequest("/bin/sh", ["sh", "-c", "kill -9 $$"], NoEnv));
        Assert.Equal(128 + 9, Children.Wait(pid));
    }

    [Fact]
    public void FdMapMovesAPipeOntoDescriptorThree()
    {
        var (read, write) = Fds.Pipe();
        int pid;
        try
        {
            pid = Spawner.Spawn(new SpawnRequest("/bin/sh", ["sh", "-c", "echo hello >&3; echo world >&3"], NoEnv)
            {
                FdMap = [(write, 3)],
            });
        }
        finally
        {
            Fds.Close(write);
        }
        var text = Fds.ReadToEnd(read);
        Fds.Close(read);
        Assert.Equal(0, Children.Wait(pid));
        Assert.Equal("hello\nworld\n", text);
    }

    [Fact]
    public void ArgvAndEnvironmentArePassedExactly()
    {
        var (read, write) = Fds.Pipe();
        var pid = Spawner.Spawn(new SpawnRequest("/bin/sh", ["my-name", "-c", "echo \"$0|$1|$A|$B\"; tr '\\0' ' ' < /proc/$$/cmdline; echo; /usr/bin/env", "zero", "first arg"], ["A=1", "B=two words"])
        {
            FdMap = [(write, 1)],
        });
        Fds.Close(write);
        var text = Fds.ReadToEnd(read);
        Fds.Close(read);
        Assert.Equal(0, Children.Wait(pid));
        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("zero|first arg|1|two words", lines[0]);
        Assert.StartsWith("my-name -c ", lines[1]);
        // dash adds PWD (and nothing else from us); the child sees our two variables and no others of ours.
        Assert.Contains("A=1", lines);
        Assert.Contains("B=two words", lines);
        Assert.DoesNotContain(lines, l => l.StartsWith("HOME=", StringComparison.Ordinal) || l.StartsWith("DOTNET", StringComparison.Ordinal));
    }

    [Fact]
    public void MissingProgramIsNotFoundNamingIt()
    {
        var e = Assert.Throws<BerthException>(() => Spawner.Spawn(new SpawnRequest("/nonexistent/prog", ["prog"], NoEnv)));
        Assert.Equal(Errno.ENOENT, e.Errno);
        Assert.Equal(ErrorKind.NotFound, e.Kind);
        Assert.Equal("spawn `/nonexistent/prog`: no such file or directory", e.Message);
    }

    [Fact]
    public void TheChildStartsWithDefaultSignalsAndAnEmptyMask()
    {
        // .NET ignores SIGPIPE; posix_spawn must give the child the defaults back.
        var pid = Spawner.Spawn(new SpawnRequest("/bin/sleep", ["sleep", "5"], NoEnv));
        try
        {
            var status = WaitForExec(pid, "sleep");
            Assert.Equal("0000000000000000", Field(status, "SigIgn"));
            Assert.Equal("0000000000000000", Field(status, "SigBlk"));
        }
        finally
        {
            Children.Kill(pid, Signals.SIGKILL);
            Children.Wait(pid);
        }
    }

    [Fact]
    public void NewSessionMakesTheChildASessionLeader()
    {
        var ours = Fds.StatFields(Environment.ProcessId)[3];
        var leader = Spawner.Spawn(new SpawnRequest("/bin/sleep", ["sleep", "5"], NoEnv) { NewSession = true });
        var member = Spawner.Spawn(new SpawnRequest("/bin/sleep", ["sleep", "5"], NoEnv));
        try
        {
            WaitForExec(leader, "sleep");
            WaitForExec(member, "sleep");
            Assert.Equal(leader.ToString(), Fds.StatFields(leader)[3]);
            Assert.Equal(ours, Fds.StatFields(member)[3]);
        }
        finally
        {
            Children.Kill(leader, Signals.SIGKILL);
            Children.Kill(member, Signals.SIGKILL);
            Children.Wait(leader);
            Children.Wait(member);
        }
    }

    [Fact]
    public void TimedWaitAndTryWaitReturnNullWhileTheChildRuns()
    {
        var pid = Spawner.Spawn(new SpawnRequest("/bin/sleep", ["sleep", "5"], NoEnv));
        Assert.Null(Children.TryWait(pid));
        Assert.Null(Children.Wait(pid, TimeSpan.FromMilliseconds(20)));
        Children.Kill(pid, Signals.SIGTERM);
        Assert.Equal(128 + Signals.SIGTERM, Children.Wait(pid, TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public void TryWaitReturnsTheCodeOnceEnded()
    {
        var pid = Spawner.Spawn(new SpawnRequest("/bin/sh", ["sh", "-c", "exit 7"], NoEnv));
        int? code = null;
        for (var i = 0; i < 1000 && code is null; i++)
        {
            code = Children.TryWait(pid);
            if (code is null)
                Thread.Sleep(2);
        }
        Assert.Equal(7, code);
    }

    [Fact]
    public void WaitingForSomeoneElsesProcessIsAnError()
    {
        var e = Assert.Throws<BerthException>(() => Children.Wait(1));
        Assert.Equal(Errno.ECHILD, e.Errno);
        Assert.StartsWith("wait for process 1: ", e.Message);
        Assert.Throws<BerthException>(() => Children.TryWait(1));
    }

    [Fact]
    public void KillOfNoProcessIsNotFound()
    {
        var e = Assert.Throws<BerthException>(() => Children.Kill(int.MaxValue, 0));
        Assert.Equal(ErrorKind.NotFound, e.Kind);
    }

    [Theory]
    [InlineData(0x0000, 0)]
    [InlineData(0x0300, 3)]
    [InlineData(0xff00, 255)]
    [InlineData(0x0009, 137)]
    [InlineData(0x000f, 143)]
    [InlineData(0x008b, 139)] // SIGSEGV with a core dump
    public void DecodeFollowsTheShellConvention(int status, int expected) => Assert.Equal(expected, Children.Decode(status));

    private static string WaitForExec(int pid, string comm)
    {
        for (var i = 0; i < 500; i++)
        {
            var status = File.ReadAllText($"/proc/{pid}/status");
            if (Field(status, "Name") == comm)
                return status;
            Thread.Sleep(2);
        }
        throw new TimeoutException($"process {pid} never exec'd {comm}");
    }

    private static string Field(string status, string name) =>
        status.Split('\n').First(l => l.StartsWith(name + ":", StringComparison.Ordinal))[(name.Length + 1)..].Trim();
}
