using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Berth.Engine.Monitor;
using Berth.Errdefs;
using Berth.Linux.Interop;

namespace Berth.IntegrationTests.Monitor;

/// <summary>
/// Containers started through <see cref="MonitorLauncher"/> under berth-runtime, and under runc
/// and crun to prove the tests themselves right.
/// </summary>
public sealed partial class MonitorLauncherTests
{
    [MonitorTheory]
    [InlineData("berth")]
    [InlineData("runc")]
    [InlineData("crun")]
    public async Task OutputLandsInTheLogInDockersFormat(string runtime)
    {
        using var c = new TestContainer(runtime, ["sh", "-c", "echo out; echo err >&2; printf tail"]);
        Assert.True(await c.StartAsync() > 0);
        Assert.Equal(0, await c.WaitAsync());
        var lines = File.ReadAllLines(c.LogPath);
        Assert.Equal(3, lines.Length);
        var entries = lines.Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Contains(entries, e => e.GetProperty("log").GetString() == "out\n" && e.GetProperty("stream").GetString() == "stdout");
        Assert.Contains(entries, e => e.GetProperty("log").GetString() == "err\n" && e.GetProperty("stream").GetString() == "stderr");
        Assert.Equal("tail", entries[2].GetProperty("log").GetString());
        Assert.All(entries, e => Assert.Matches(TimeFormat(), e.GetProperty("time").GetString()!));
        Assert.Equal(MonitorStatus.Exited, c.State.Status);
    }

    [MonitorTheory]
    [InlineData("berth", 0)]
    [InlineData("berth", 3)]
    [InlineData("runc", 3)]
    [InlineData("crun", 3)]
    public async Task ExitCodeIsPropagated(string runtime, int code)
    {
        using var c = new TestContainer(runtime, ["sh", "-c", $"exit {code}"]);
        await c.StartAsync();
        Assert.Equal(code, await c.WaitAsync());
        Assert.Equal(code, c.State.ExitCode);
    }

    [MonitorTheory]
    [InlineData("berth")]
    [InlineData("runc")]
    [InlineData("crun")]
    public async Task SigkillGives137(string runtime)
    {
        using var c = new TestContainer(runtime, ["sleep", "100"]);
        var pid = await c.StartAsync();
        Assert.Equal(MonitorHealth.Running, MonitorProbe.Check(c.Dir).Health);
        var wait = c.WaitAsync();
        Libc.kill(pid, 9);
        Assert.Equal(137, await wait);
    }

    [MonitorTheory]
    [InlineData("berth")]
    [InlineData("runc")]
    [InlineData("crun")]
    public async Task AttachedFromTheStartStdinReachesCat(string runtime)
    {
        using var c = new TestContainer(runtime, ["cat"]);
        c.Config = c.Config with { OpenStdin = true, StdinOnce = true };
        using var attach = AttachStreams.Create();
        using var stdout = new MemoryStream();
        var pump = AttachClient.RunAsync(attach.Connection, new AttachOptions { Stdout = stdout }, CancellationToken.None);
        await c.StartAsync(attach);
        attach.Connection.Send(AttachMessageType.Stdin, "hello\n"u8);
        attach.Connection.Send(AttachMessageType.StdinEof, []);
        Assert.Equal(0, await pump.WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.Equal("hello\n", Encoding.UTF8.GetString(stdout.ToArray()));
        Assert.Contains("\"log\":\"hello\\n\"", File.ReadAllText(c.LogPath));
    }

    [MonitorTheory]
    [InlineData("berth")]
    [InlineData("runc")]
    [InlineData("crun")]
    public async Task OnFailure2RestartsTwice(string runtime)
    {
        using var c = new TestContainer(runtime, ["sh", "-c", "echo run; exit 1"]);
        c.Config = c.Config with { RestartPolicy = RestartPolicy.Parse("on-failure:2") };
        await c.StartAsync();
        await WaitForAsync(() => MonitorProbe.Check(c.Dir).Health == MonitorHealth.Exited);
        Assert.Equal(2, c.State.RestartCount);
        Assert.Equal(1, c.State.ExitCode);
        Assert.Equal(3, File.ReadAllLines(c.LogPath).Length);
    }

    [MonitorTheory]
    [InlineData("berth")]
    [InlineData("runc")]
    public async Task StopRequestedPreventsRestart(string runtime)
    {
        using var c = new TestContainer(runtime, ["sleep", "100"]);
        c.Config = c.Config with { RestartPolicy = RestartPolicy.Parse("always") };
        var pid = await c.StartAsync();
        MonitorControl.RequestStop(c.Dir);
        Libc.kill(pid, 9);
        await WaitForAsync(() => MonitorProbe.Check(c.Dir).Health == MonitorHealth.Exited);
        Assert.Equal(0, c.State.RestartCount);
        Assert.Equal(137, c.State.ExitCode);
    }

    [MonitorTheory]
    [InlineData("berth")]
    [InlineData("runc")]
    public async Task KilledMonitorIsReportedDead(string runtime)
    {
        using var c = new TestContainer(runtime, ["sleep", "100"]);
        await c.StartAsync();
        var wait = c.WaitAsync();
        Libc.kill(c.State.MonitorPid, 9);
        var error = await Assert.ThrowsAsync<BerthException>(() => wait);
        Assert.Equal(ErrorKind.Unavailable, error.Kind);
        await WaitForAsync(() => MonitorProbe.Check(c.Dir).Health == MonitorHealth.Dead);
        Assert.Equal(MonitorProbe.DeadError, MonitorProbe.Check(c.Dir).Error);
    }

    [MonitorTheory]
    [InlineData("berth")]
    [InlineData("runc")]
    [InlineData("crun")]
    public async Task TtyModeGetsAPtyAndResizes(string runtime)
    {
        using var c = new TestContainer(runtime, ["sh", "-c", "read x; stty size; tty"], tty: true);
        c.Config = c.Config with { OpenStdin = true, StdinOnce = true };
        using var attach = AttachStreams.Create();
        using var stdout = new MemoryStream();
        var pump = AttachClient.RunAsync(attach.Connection, new AttachOptions { Stdout = stdout, Tty = true }, CancellationToken.None);
        await c.StartAsync(attach);
        attach.Connection.SendResize(30, 100);
        attach.Connection.Send(AttachMessageType.Stdin, "go\r"u8);
        Assert.Equal(0, await pump.WaitAsync(TimeSpan.FromSeconds(30)));
        var text = Encoding.UTF8.GetString(stdout.ToArray());
        Assert.Contains("30 100", text);
        Assert.Contains("/dev/pts/", text);
    }

    [MonitorTheory]
    [InlineData("berth")]
    [InlineData("runc")]
    [InlineData("crun")]
    public async Task MissingExecutableGives127WithTheMessage(string runtime)
    {
        using var c = new TestContainer(runtime, ["no-such-program"]);
        var error = await Assert.ThrowsAsync<BerthException>(() => c.StartAsync());
        Assert.Equal(127, MonitorLauncher.ExitCodeOf(error));
        Assert.Contains("not found", error.Message);
        Assert.Contains("no-such-program", error.Message);
        Assert.Equal(MonitorStatus.Exited, c.State.Status);
    }

    private static async Task WaitForAsync(Func<bool> condition, int seconds = 30)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException("condition not met in time");
            await Task.Delay(20);
        }
    }

    [GeneratedRegex(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,9})?Z$")]
    private static partial Regex TimeFormat();
}
