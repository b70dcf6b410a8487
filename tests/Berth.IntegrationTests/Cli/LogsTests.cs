using System.Diagnostics;

namespace Berth.IntegrationTests.Cli;

/// <summary>`berth logs`: streams kept apart, --tail, -t, and -f ending when the container stops.</summary>
public sealed class LogsTests(BerthFixture berth) : IClassFixture<BerthFixture>
{
    [BerthFact]
    public void StreamsTailAndTimestamps()
    {
        var name = "logs-" + Guid.NewGuid().ToString("N")[..8];
        Assert.Equal(0, berth.Run("run", "--name", name, BerthFixture.Image, "sh", "-c", "echo one; echo two >&2; sleep 0.2; echo three").ExitCode);
        var all = berth.Run("logs", name);
        Assert.Equal("one\nthree\n", all.Stdout);
        Assert.Equal("two\n", all.Stderr);
        Assert.Equal("three\n", berth.Ok("logs", "--tail", "1", name));
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z three\n$", berth.Ok("logs", "-t", "--tail", "1", name));
        var bad = berth.Run("logs", "no-such-" + name);
        Assert.Equal(1, bad.ExitCode);
        Assert.Equal($"Error: No such container: no-such-{name}\n", bad.Stderr);
        berth.Ok("rm", name);
    }

    [BerthFact]
    public void FollowStopsWithTheContainer()
    {
        var name = "logsf-" + Guid.NewGuid().ToString("N")[..8];
        berth.Ok("run", "-d", "--name", name, BerthFixture.Image, "sh", "-c", "echo start; sleep 2; echo end");
        var clock = Stopwatch.StartNew();
        var followed = berth.Run("logs", "-f", name);
        Assert.Equal(0, followed.ExitCode);
        Assert.Equal("start\nend\n", followed.Stdout);
        Assert.InRange(clock.Elapsed.TotalSeconds, 0.5, 20);
        berth.Ok("rm", "-f", name);
    }
}
