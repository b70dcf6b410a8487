using System.Diagnostics;

namespace Berth.IntegrationTests.Cli;

/// <summary>
/// A container's life through berth's verbs — create, start, stop, kill, restart, pause, rm — each
/// command a new process, as a user types them; and two berth commands racing on one store.
/// </summary>
public sealed class LifecycleTests(BerthFixture berth) : IClassFixture<BerthFixture>
{
    private const string Img = BerthFixture.Image;

    private static string Unique(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 9)];

    private string State(string name) => berth.Ok("ps", "-a", "--filter", $"name=^{name}$", "--format", "{{.State}}").Trim();

    private string Status(string name) => berth.Ok("ps", "-a", "--filter", $"name=^{name}$", "--format", "{{.Status}}").Trim();

    private string Inspect(string name, string format) => berth.Ok("inspect", "--format", format, name).Trim();

    /// <summary>Polls until <paramref name="condition"/> holds or fails after <paramref name="seconds"/>.</summary>
    private static void Eventually(Func<bool> condition, string what, double seconds = 15)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(clock.Elapsed.TotalSeconds < seconds, $"timed out waiting for {what}");
            Thread.Sleep(50);
        }
    }

    [BerthFact]
    public void CreateStartAndStartAttached()
    {
        var name = Unique("cs");
        var id = berth.Ok("create", "--name", name, Img, "sh", "-c", "echo out; echo err >&2; exit 4").Trim();
        Assert.Matches("^[0-9a-f]{64}$", id);
        Assert.Equal("created", State(name));
        var attached = berth.Run("start", "-a", name);
        Assert.Equal(4, attached.ExitCode);
        Assert.Equal("out\n", attached.Stdout);
        Assert.Equal("err\n", attached.Stderr);
        Assert.Equal("exited", State(name));
        Assert.StartsWith("Exited (4)", Status(name));
        // start without -a prints the name and returns at once.
        Assert.Equal(name + "\n", berth.Ok("start", name));
        Eventually(() => State(name) == "exited", "the second run to exit");
        Assert.Equal("out\nerr\nout\nerr\n".Length, berth.Ok("logs", name).Length + berth.Run("logs", name).Stderr.Length);
        berth.Ok("rm", name);
    }

    [BerthFact]
    public void StopEscalatesToKillAfterTheTimeout()
    {
        var name = Unique("stop");
        berth.Ok("run", "-d", "--name", name, Img, "sleep", "1000");
        Assert.Equal("running", State(name));
        var clock = Stopwatch.StartNew();
        // busybox sleep as pid 1 has no SIGTERM handler, so the kernel ignores SIGTERM: SIGKILL after 1 s.
        Assert.Equal(name + "\n", berth.Ok("stop", "-t", "1", name));
        Assert.InRange(clock.Elapsed.TotalSeconds, 0.9, 10);
        Assert.Equal("exited", State(name));
        Assert.StartsWith("Exited (137)", Status(name));
        berth.Ok("rm", name);
    }

    [BerthFact]
    public void StopSignalAndStopTimeoutAreUsed()
    {
        var name = Unique("sig");
        // The script traps USR1 and exits 42: a stop that sends SIGUSR1 sees 42, not 137.
        berth.Ok("run", "-d", "--name", name, "--stop-signal", "SIGUSR1", "--stop-timeout", "30", Img,
            "sh", "-c", "trap 'exit 42' USR1; while true; do sleep 0.1; done");
        var clock = Stopwatch.StartNew();
        berth.Ok("stop", name);
        Assert.InRange(clock.Elapsed.TotalSeconds, 0, 10);
        Assert.StartsWith("Exited (42)", Status(name));

        var slow = Unique("slow");
        berth.Ok("run", "-d", "--name", slow, "--stop-timeout", "1", Img, "sleep", "1000");
        clock.Restart();
        berth.Ok("stop", slow);
        Assert.InRange(clock.Elapsed.TotalSeconds, 0.9, 8);
        Assert.StartsWith("Exited (137)", Status(slow));
        berth.Ok("rm", name, slow);
    }

    [BerthFact]
    public void KillWithASignal()
    {
        var name = Unique("kill");
        berth.Ok("run", "-d", "--name", name, Img, "sh", "-c", "trap 'exit 7' HUP; while true; do sleep 0.1; done");
        Assert.Equal(name + "\n", berth.Ok("kill", "-s", "HUP", name));
        Eventually(() => State(name) == "exited", "exit after SIGHUP");
        Assert.StartsWith("Exited (7)", Status(name));
        var notRunning = berth.Run("kill", name);
        Assert.Equal(1, notRunning.ExitCode);
        Assert.Contains("is not running", notRunning.Stderr);
        berth.Ok("rm", name);
    }

    [BerthFact]
    public void RestartGivesANewProcess()
    {
        var name = Unique("rst");
        berth.Ok("run", "-d", "--name", name, Img, "sh", "-c", "trap 'exit 0' TERM; while true; do sleep 0.1; done");
        var before = Inspect(name, "{{.State.Pid}}");
        Assert.Equal(name + "\n", berth.Ok("restart", "-t", "5", name));
        Assert.Equal("running", State(name));
        var after = Inspect(name, "{{.State.Pid}}");
        Assert.NotEqual(before, after);
        Assert.NotEqual("0", after);
        berth.Ok("rm", "-f", name);
    }

    [BerthFact]
    public void PauseAndUnpause()
    {
        var name = Unique("pause");
        berth.Ok("run", "-d", "--name", name, Img, "sleep", "1000");
        berth.Ok("pause", name);
        Assert.Equal("paused", State(name));
        Assert.EndsWith("(Paused)", Status(name));
        var again = berth.Run("pause", name);
        Assert.Equal(1, again.ExitCode);
        Assert.Contains("already paused", again.Stderr);
        berth.Ok("unpause", name);
        Assert.Equal("running", State(name));
        Assert.DoesNotContain("Paused", Status(name));
        berth.Ok("rm", "-f", name);
    }

    [BerthFact]
    public void RmOfARunningContainerIsRefusedAndRmForceRemovesIt()
    {
        var name = Unique("rm");
        berth.Ok("run", "-d", "--name", name, Img, "sleep", "1000");
        var refused = berth.Run("rm", name);
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("cannot remove container", refused.Stderr);
        Assert.Contains($"cannot remove container \"/{name}\": container is running: stop the container before removing or force remove", refused.Stderr);
        Assert.Equal("running", State(name));
        Assert.Equal(name + "\n", berth.Ok("rm", "-f", name));
        Assert.Equal("", berth.Ok("ps", "-a", "--filter", $"name=^{name}$", "-q"));
        var gone = berth.Run("rm", name);
        Assert.Equal(1, gone.ExitCode);
        Assert.Contains($"No such container: {name}", gone.Stderr);
    }

    [BerthFact]
    public void PsFiltersAndFormats()
    {
        var done = Unique("done");
        var live = Unique("live");
        berth.Ok("run", "--name", done, "--label", "suite=ps", Img, "true");
        berth.Ok("run", "-d", "--name", live, "--label", "suite=ps", "--label", "role=web", Img, "sleep", "1000");
        var exited = berth.Ok("ps", "-a", "-q", "--filter", "status=exited", "--format", "{{.Names}}").Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains(done, exited);
        Assert.DoesNotContain(live, exited);
        Assert.Equal(live + "\n", berth.Ok("ps", "--filter", "label=role=web", "--format", "{{.Names}}"));
        var labelled = berth.Ok("ps", "-a", "--filter", "label=suite=ps", "--format", "{{.Names}}").Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(new[] { done, live }.Order(StringComparer.Ordinal), labelled.Order(StringComparer.Ordinal));
        var table = berth.Ok("ps", "-a", "--filter", "label=suite=ps", "--format", "table {{.Names}}\t{{.Status}}").Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Matches(@"^NAMES\s+STATUS$", table[0]);
        Assert.Contains(table, l => l.StartsWith(live) && l.Contains("Up "));
        Assert.Contains(table, l => l.StartsWith(done) && l.Contains("Exited (0)"));
        berth.Ok("rm", "-f", done, live);
    }

    [BerthFact]
    public void NameConflict()
    {
        var name = Unique("dup");
        var id = berth.Ok("create", "--name", name, Img, "true").Trim();
        var second = berth.Run("create", "--name", name, Img, "true");
        Assert.Equal(125, second.ExitCode);
        Assert.Contains($"Conflict. The container name \"/{name}\" is already in use by container \"{id}\"", second.Stderr);
        berth.Ok("rm", name);
    }

    [BerthFact]
    public void RunDetachedOutlivesTheCommand()
    {
        var name = Unique("bg");
        var clock = Stopwatch.StartNew();
        var id = berth.Ok("run", "-d", "--name", name, Img, "sleep", "1000").Trim();
        Assert.InRange(clock.Elapsed.TotalSeconds, 0, 10);
        Assert.Matches("^[0-9a-f]{64}$", id);
        Thread.Sleep(300);
        Assert.Equal(id[..12] + "\n", berth.Ok("ps", "-q", "--filter", $"name=^{name}$"));
        Assert.StartsWith("Up ", Status(name));
        berth.Ok("rm", "-f", name);
    }

    [BerthFact]
    public void RestartOnFailureCountsRestarts()
    {
        var name = Unique("onfail");
        berth.Ok("run", "-d", "--name", name, "--restart", "on-failure:2", Img, "sh", "-c", "exit 5");
        Eventually(() => State(name) == "exited" && Inspect(name, "{{.RestartCount}}") == "2", "two restarts then exit", 30);
        Assert.StartsWith("Exited (5)", Status(name));
        Thread.Sleep(1500);
        Assert.Equal("2", Inspect(name, "{{.RestartCount}}"));
        berth.Ok("rm", name);
    }

    [BerthFact]
    public void RestartAlwaysThenStopDoesNotRestart()
    {
        var name = Unique("always");
        berth.Ok("run", "-d", "--name", name, "--restart", "always", Img, "sleep", "1000");
        berth.Ok("stop", "-t", "1", name);
        Assert.Equal("exited", State(name));
        Thread.Sleep(2000);
        Assert.Equal("exited", State(name));
        Assert.Equal("0", Inspect(name, "{{.RestartCount}}"));
        berth.Ok("rm", name);
    }

    [BerthFact]
    public void TenParallelRunsWithOneNameExactlyOneWins()
    {
        var name = Unique("race");
        var processes = Enumerable.Range(0, 10).Select(_ => berth.Start("run", "-d", "--name", name, Img, "sleep", "1000")).ToList();
        var results = new List<(int Code, string Stdout, string Stderr)>();
        foreach (var p in processes)
        {
            var stdout = p.StandardOutput.ReadToEndAsync();
            var stderr = p.StandardError.ReadToEndAsync();
            if (!p.WaitForExit(TimeSpan.FromSeconds(60)))
            {
                p.Kill();
                Assert.Fail($"berth run -d (pid {p.Id}) did not finish");
            }
            results.Add((p.ExitCode, stdout.Result, stderr.Result));
            p.Dispose();
        }
        var winners = results.Where(r => r.Code == 0).ToList();
        Assert.True(winners.Count == 1, string.Join("\n", results.Select(r => $"{r.Code}: {r.Stdout.Trim()} {r.Stderr.Trim()}")));
        Assert.All(results.Where(r => r.Code != 0), r =>
        {
            Assert.Equal(125, r.Code);
            Assert.Contains("is already in use", r.Stderr);
        });
        var listed = berth.Ok("ps", "-a", "--format", "{{.Names}}").Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Single(listed, n => n == name);
        Assert.Equal("running", State(name));
        berth.Ok("rm", "-f", name);
    }

    [BerthFact]
    public void StopAndRmForceRacingBothEndCleanly()
    {
        for (var round = 0; round < 3; round++)
        {
            var name = Unique("sr");
            berth.Ok("run", "-d", "--name", name, Img, "sleep", "1000");
            using var stop = berth.Start("stop", "-t", "1", name);
            using var rm = berth.Start("rm", "-f", name);
            var stopErr = stop.StandardError.ReadToEndAsync();
            var rmErr = rm.StandardError.ReadToEndAsync();
            Assert.True(stop.WaitForExit(TimeSpan.FromSeconds(30)) && rm.WaitForExit(TimeSpan.FromSeconds(30)), "stop or rm hung");
            Assert.True(rm.ExitCode == 0, $"rm -f: {rmErr.Result}");
            // stop either won (0) or found the container gone (docker: "No such container").
            Assert.True(stop.ExitCode == 0 || stopErr.Result.Contains("No such container"), $"stop: {stop.ExitCode} {stopErr.Result}");
            Assert.DoesNotContain("Unhandled", stopErr.Result + rmErr.Result);
            Assert.Equal("", berth.Ok("ps", "-a", "-q", "--filter", $"name=^{name}$"));
        }
        Assert.DoesNotContain(berth.ContainerDirs(), d => Path.GetFileName(d).StartsWith(".tmp"));
    }
}
