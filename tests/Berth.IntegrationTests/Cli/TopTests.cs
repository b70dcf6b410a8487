namespace Berth.IntegrationTests.Cli;

/// <summary>`berth top` and `berth stats --no-stream` on a running container.</summary>
public sealed class TopTests(BerthFixture berth) : IClassFixture<BerthFixture>
{
    [BerthFact]
    public void TopListsTheContainersProcesses()
    {
        var name = "top-" + Guid.NewGuid().ToString("N")[..8];
        berth.Ok("run", "-d", "--name", name, BerthFixture.Image, "sleep", "1000");
        var pid = berth.Ok("inspect", "-f", "{{.State.Pid}}", name).Trim();
        var lines = berth.Ok("top", name).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Matches("^UID +PID +PPID +C +STIME +TTY +TIME +CMD$", lines[0]);
        Assert.Single(lines.Skip(1));
        Assert.Matches($"^root +{pid} +.* sleep 1000$", lines[1]);
        var custom = berth.Ok("top", name, "--", "-o", "pid,comm").Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Matches("^PID +COMMAND$", custom[0]);
        Assert.Matches($"^{pid} +sleep$", custom[1]);
        berth.Ok("stop", "-t", "0", name);
        var stopped = berth.Run("top", name);
        Assert.Equal(1, stopped.ExitCode);
        Assert.Matches("^Error: container [0-9a-f]{64} is not running\n$", stopped.Stderr);
        berth.Ok("rm", name);
    }

    [BerthFact]
    public void StatsNoStreamPrintsOneTable()
    {
        var name = "stats-" + Guid.NewGuid().ToString("N")[..8];
        berth.Ok("run", "-d", "--name", name, BerthFixture.Image, "sleep", "1000");
        var lines = berth.Ok("stats", "--no-stream", name).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Matches("^CONTAINER ID +NAME +CPU % +MEM USAGE / LIMIT +MEM % +NET I/O +BLOCK I/O +PIDS$", lines[0]);
        Assert.Matches($@"^[0-9a-f]{{12}} +{name} +\d+\.\d\d% +[\d.]+[KMG]?i?B / [\d.]+[KMGT]i?B +\d+\.\d\d% +0B / 0B +\S+ / \S+ +1$", lines[1]);
        Assert.Equal($"{name} 1\n", berth.Ok("stats", "--no-stream", "--format", "{{.Name}} {{.PIDs}}", name));
        berth.Ok("rm", "-f", name);
    }
}
