using System.Text.Json;
using Berth.Oci.Runtime;
using Berth.Runtime.IntegrationTests.Harness;
using Xunit.Abstractions;

namespace Berth.Runtime.IntegrationTests.Tests;

/// <summary>Resource limits (config-linux.md "Control groups") enforced, visible, updated and reported.</summary>
[Collection(CgroupCollection.Name)]
public sealed class CgroupTests(SuiteFixture suite, ITestOutputHelper output) : RuntimeTest(suite, output)
{
    private const long MiB = 1 << 20;

    [Fact]
    public void MemoryLimit_KillsAHog()
    {
        // tail buffers a line of /dev/zero that never ends: it grows until the OOM killer acts.
        var result = RunScript("exec tail /dev/zero", s => s.Resources(r => r with
        {
            Memory = new LinuxMemory { Limit = 32 * MiB, Swap = 32 * MiB },
        }));
        Assert.Equal(128 + 9, result.ExitCode);
    }

    [Fact]
    public void MemoryLimit_LetsASmallProcessLive()
    {
        var result = RunScript("head -c 8000000 /dev/zero | tail -c 1 | wc -c", s => s.Resources(r => r with
        {
            Memory = new LinuxMemory { Limit = 32 * MiB, Swap = 32 * MiB },
        }));
        Assert.Equal("1\n", result.AssertSuccess().Stdout);
    }

    [Fact]
    public void PidsLimit_StopsAForkLoop()
    {
        // A subshell forks `sleep` 30 times and dies at the first failed fork; the init then counts
        // the processes with builtins only (no fork left to spare): itself and 8 sleeps = 9 of 10.
        var result = RunScript(
            "(i=0; while [ $i -lt 30 ]; do sleep 100 & i=$((i+1)); done) 2>/dev/null; " +
            "n=0; for p in /proc/[0-9]*; do n=$((n+1)); done; echo $n",
            s => s.Resources(r => r with { Pids = new LinuxPids { Limit = 10 } }));
        Assert.Equal("9\n", result.AssertSuccess().Stdout);
    }

    [Fact]
    public void Limits_AreWritten_AndVisibleInsideTheContainer()
    {
        var c = NewContainer(s => s
            .Resources(r => r with
            {
                Memory = new LinuxMemory { Limit = 64 * MiB },
                Pids = new LinuxPids { Limit = 50 },
                Cpu = new LinuxCpu { Shares = 512 },
            })
            .Shell("cat /sys/fs/cgroup/memory/memory.limit_in_bytes /sys/fs/cgroup/pids/pids.max /sys/fs/cgroup/cpu/cpu.shares; sleep 100"));
        var created = c.CreateAndStart();
        var inside = Poll.FileContains(created.StdoutPath, "512\n");
        Assert.Equal($"{64 * MiB}\n50\n512\n", inside);

        Assert.Equal($"{64 * MiB}", ReadCgroup(c, "memory", "memory.limit_in_bytes"));
        Assert.Equal("50", ReadCgroup(c, "pids", "pids.max"));
        Assert.Equal("512", ReadCgroup(c, "cpu", "cpu.shares"));
        var pid = c.State().Pid;
        Assert.Contains(pid, CgroupHierarchies.Pids(CgroupHierarchies.PathOf("memory", c.CgroupsPath)!));
        Assert.Contains(pid, CgroupHierarchies.Pids(CgroupHierarchies.PathOf("pids", c.CgroupsPath)!));
    }

    [Fact]
    public void Update_PidsLimitAndMemory_ChangeTheCgroup()
    {
        var c = NewContainer(s => s.Args("sleep", "100").Resources(r => r with { Pids = new LinuxPids { Limit = 50 } }));
        c.CreateAndStart();
        Cli.Run("update", "--pids-limit", "42", c.Id).AssertSuccess();
        Assert.Equal("42", ReadCgroup(c, "pids", "pids.max"));
        Cli.Run("update", "--memory", $"{48 * MiB}", c.Id).AssertSuccess();
        Assert.Equal($"{48 * MiB}", ReadCgroup(c, "memory", "memory.limit_in_bytes"));
        Assert.Equal("42", ReadCgroup(c, "pids", "pids.max"));
    }

    [Fact]
    public void Update_FromAResourcesFile()
    {
        var c = NewContainer(s => s.Args("sleep", "100"));
        c.CreateAndStart();
        var file = Path.Combine(TempDir, "resources.json");
        File.WriteAllText(file, JsonSerializer.Serialize(new LinuxResources
        {
            Pids = new LinuxPids { Limit = 33 },
            Cpu = new LinuxCpu { Shares = 300 },
        }, RuntimeJsonContext.Default.LinuxResources));
        Cli.Run("update", "-r", file, c.Id).AssertSuccess();
        Assert.Equal("33", ReadCgroup(c, "pids", "pids.max"));
        Assert.Equal("300", ReadCgroup(c, "cpu", "cpu.shares"));
    }

    [Fact]
    public void Update_OfAnUnknownContainer_Fails()
    {
        Cli.Run("update", "--pids-limit", "42", "it-never-created").AssertFailure();
    }

    [Fact]
    public void PauseResume_FreezesAndThawsTheProcesses()
    {
        var c = NewContainer(s => s.Shell("i=0; while true; do i=$((i+1)); echo $i > /tmp/count; sleep 0.02; done"));
        c.CreateAndStart();
        var count = c.Bundle.HostPath("/tmp/count");
        Assert.True(Poll.Until(() => Counter(count) > 3, 10), "the counter runs");

        Cli.Run("pause", c.Id).AssertSuccess();
        // crun 1.8 can return from pause while the v1 freezer still says FREEZING, and its state
        // says running until FROZEN; runc waits for FROZEN. A short grace covers both.
        c.WaitForStatus(Status.Paused, seconds: 2);
        var frozen = Counter(count);
        Thread.Sleep(300);
        Assert.Equal(frozen, Counter(count));
        Assert.Equal("FROZEN", ReadCgroup(c, "freezer", "freezer.state"));

        Cli.Run("resume", c.Id).AssertSuccess();
        Assert.Equal(Status.Running, c.State().Status);
        Assert.True(Poll.Until(() => Counter(count) > frozen + 3, 10), "the counter runs again");
    }

    [Fact]
    public void Resume_OfARunningContainer_LeavesItRunning()
    {
        // runc refuses (exit 1, "container not paused"), crun accepts it as a no-op: only the
        // outcome both share is asserted.
        var c = NewContainer(s => s.Args("sleep", "100"));
        c.CreateAndStart();
        Cli.Run("resume", c.Id);
        Assert.Equal(Status.Running, c.State().Status);
        Assert.Equal("THAWED", ReadCgroup(c, "freezer", "freezer.state"));
    }

    [Fact]
    public void Pause_OfAStoppedContainer_Fails()
    {
        var c = NewContainer(s => s.Args("true"));
        c.CreateAndStart();
        c.WaitForStatus(Status.Stopped);
        Cli.Run("pause", c.Id).AssertFailure();
    }

    [Fact]
    public void Delete_Force_OfAPausedContainer_RemovesEverything()
    {
        var c = NewContainer(s => s.Shell("sleep 100 & sleep 100"));
        c.CreateAndStart();
        Cli.Run("pause", c.Id).AssertSuccess();
        Assert.Equal(Status.Paused, c.State().Status);
        c.Delete(force: true).AssertSuccess();
        AssertNothingLeft(c);
    }

    [Fact]
    public void Ps_Json_ListsThePids()
    {
        var c = NewContainer(s => s.Shell("sleep 100 & exec sleep 200"));
        c.CreateAndStart();
        var inCgroup = Array.Empty<int>();
        Assert.True(Poll.Until(() => (inCgroup = [.. CgroupHierarchies.Pids(CgroupHierarchies.PathOf("pids", c.CgroupsPath)!)]).Length == 2, 5));
        foreach (var p in inCgroup)
            c.Remember(p);
        using var doc = JsonDocument.Parse(Cli.Run("ps", "--format", "json", c.Id).AssertSuccess().Stdout);
        var pids = doc.RootElement.EnumerateArray().Select(e => e.GetInt32()).Order().ToArray();
        Assert.Equal(inCgroup.Order(), pids);
        Assert.Contains(c.State().Pid, pids);
    }

    [RuntimeFact(Requires = "events")]
    public void EventsStats_ReportsMemoryAndPids()
    {
        var c = NewContainer(s => s.Shell("sleep 100 & exec sleep 200").Resources(r => r with
        {
            Memory = new LinuxMemory { Limit = 64 * MiB },
        }));
        c.CreateAndStart();
        // `start` returns once the shell is exec'd, not once it has forked `sleep 100`.
        Poll.Until(() => CgroupHierarchies.Pids(CgroupHierarchies.PathOf("pids", c.CgroupsPath)!).Count >= 2, 5);
        var text = Cli.Run("events", "--stats", c.Id).AssertSuccess().Stdout;
        using var doc = JsonDocument.Parse(text.Split('\n')[0]);
        var root = doc.RootElement;
        Assert.Equal("stats", root.GetProperty("type").GetString());
        Assert.Equal(c.Id, root.GetProperty("id").GetString());
        var memory = root.GetProperty("data").GetProperty("memory").GetProperty("usage");
        Assert.True(memory.GetProperty("usage").GetInt64() > 0, "memory usage is reported");
        Assert.Equal(64 * MiB, memory.GetProperty("limit").GetInt64());
        Assert.True(root.GetProperty("data").GetProperty("pids").GetProperty("current").GetInt32() >= 2, "both processes are counted");
    }

    private static string ReadCgroup(Container c, string controller, string file) =>
        File.ReadAllText(Path.Combine(CgroupHierarchies.PathOf(controller, c.CgroupsPath)!, file)).Trim();

    private static int Counter(string path)
    {
        try
        {
            return int.TryParse(File.ReadAllText(path).Trim(), out var n) ? n : 0;
        }
        catch (IOException)
        {
            return 0;
        }
    }
}
