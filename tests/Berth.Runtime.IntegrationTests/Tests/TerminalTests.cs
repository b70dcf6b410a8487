using Berth.Runtime.IntegrationTests.Harness;
using Xunit.Abstractions;

namespace Berth.Runtime.IntegrationTests.Tests;

/// <summary>process.terminal with <c>--console-socket</c>: the runtime hands the pty master to the caller.</summary>
[Collection(ProcessCollection.Name)]
public sealed class TerminalTests(SuiteFixture suite, ITestOutputHelper output) : RuntimeTest(suite, output)
{
    [Fact]
    public void ConsoleSocket_ReceivesThePtyMaster_ThatDrivesTheShell()
    {
        var c = NewContainer(s => s.Terminal().Args("sh"));
        using var socket = new ConsoleSocket(Path.Combine(TempDir, "console.sock"));
        c.Create("--console-socket", socket.Path).AssertSuccess();
        using var master = socket.ReceiveMaster();
        c.Start().AssertSuccess();

        // The shell evaluates $((6*7)): "answer-42" can only come back from it, not from the echo.
        master.Write("tty; echo answer-$((6*7)); test -t 0 && echo stdin-is-a-tty\n");
        var text = master.ReadUntil("\nstdin-is-a-tty\r\n"); // the output line, not the echoed input
        Assert.Contains("/dev/pts/0\r\n", text);
        Assert.Contains("answer-42\r\n", text);

        master.Write("exit 5\n");
        c.WaitForStatus(Status.Stopped);
    }

    [Fact]
    public void Exec_WithTty_GetsItsOwnPty()
    {
        var c = NewContainer(s => s.Args("sleep", "1000"));
        c.CreateAndStart();
        using var socket = new ConsoleSocket(Path.Combine(TempDir, "exec.sock"));
        c.ExecWith(["--tty", "--detach", "--console-socket", socket.Path], "sh").AssertSuccess();
        using var master = socket.ReceiveMaster();
        master.Write("tty; echo answer-$((6*7))\n");
        var text = master.ReadUntil("answer-42\r\n");
        Assert.Matches(@"/dev/pts/\d+\r\n", text);
        master.Write("exit\n");
    }

    [Fact]
    public void Terminal_WithoutConsoleSocket_IsRefused()
    {
        var c = NewContainer(s => s.Terminal().Args("sh"));
        c.Create().AssertFailure();
        AssertNothingLeft(c);
    }
}
