using Berth.Linux.Interop;
using System.Text.Json;
using Berth.Runtime.IntegrationTests.Harness;
using Xunit.Abstractions;

namespace Berth.Runtime.IntegrationTests.Tests;

/// <summary>runtime.md's lifecycle: create → created, start → running, exit → stopped, delete.</summary>
[Collection(LifecycleCollection.Name)]
public sealed class LifecycleTests(SuiteFixture suite, ITestOutputHelper output) : RuntimeTest(suite, output)
{
    [Fact]
    public void CreateStartExitDelete_WalksThroughTheStates()
    {
        var c = NewContainer(s => s.Shell("read line < /tmp/go; echo done"));
        // A fifo keeps the process waiting in "running" until the test writes to it.
        Assert.Equal(0, Libc.mkfifo(c.Bundle.HostPath("/tmp/go"), 0x1b6 /* 0666 */));

        var created = c.Create().AssertSuccess();
        var state = c.State();
        Assert.Equal(Status.Created, state.Status);
        Assert.Equal(c.Id, state.Id);
        Assert.True(state.Pid > 0, $"created state has pid {state.Pid}");
        Assert.True(Directory.Exists($"/proc/{state.Pid}"), "the init process exists after create");
        Assert.Equal(Path.GetFullPath(c.Bundle.Dir), state.Bundle);
        Assert.Equal("", created.ReadStdout());

        c.Start().AssertSuccess();
        var running = c.State();
        Assert.Equal(Status.Running, running.Status);
        Assert.Equal(state.Pid, running.Pid);

        File.WriteAllText(c.Bundle.HostPath("/tmp/go"), "go\n");
        c.WaitForStatus(Status.Stopped);
        Assert.Equal("done\n", created.ReadStdout());

        c.Delete().AssertSuccess();
        c.StateRaw().AssertFailure();
        AssertNothingLeft(c);
    }

    [Fact]
    public void State_OfUnknownId_Fails()
    {
        Cli.Run("state", "it-never-created").AssertFailure();
    }

    [Fact]
    public void Start_Twice_Fails_AndTheContainerKeepsRunning()
    {
        var c = NewContainer(s => s.Args("sleep", "100"));
        c.CreateAndStart();
        c.Start().AssertFailure();
        Assert.Equal(Status.Running, c.State().Status);
    }

    [Fact]
    public void Start_OfAStoppedContainer_Fails()
    {
        var c = NewContainer(s => s.Args("true"));
        c.CreateAndStart();
        c.WaitForStatus(Status.Stopped);
        c.Start().AssertFailure();
    }

    [Fact]
    public void Delete_Running_WithoutForce_Fails_WithForce_RemovesEverything()
    {
        var c = NewContainer(s => s.Args("sleep", "100"));
        c.CreateAndStart();
        var pid = c.State().Pid;
        c.Delete().AssertFailure();
        Assert.Equal(Status.Running, c.State().Status);
        Assert.True(CgroupHierarchies.Existing(c.CgroupsPath).Count > 0, "a running container has its cgroup");

        c.Delete(force: true).AssertSuccess();
        c.StateRaw().AssertFailure();
        Assert.True(Poll.Until(() => c.SeenPids.All(p => !p.IsAlive), 5), $"init {pid} is gone after delete --force");
        AssertNothingLeft(c);
    }

    [Fact]
    public void Delete_OfACreatedContainer_RemovesItsInit()
    {
        var c = NewContainer(s => s.Args("sleep", "100"));
        c.Create().AssertSuccess();
        Assert.Equal(Status.Created, c.State().Status);
        c.Delete(force: true).AssertSuccess();
        AssertNothingLeft(c);
    }

    [Fact]
    public void Create_WithAnIdInUse_Fails_AndLeavesTheFirstAlone()
    {
        var first = NewContainer(s => s.Args("sleep", "100"));
        first.Create().AssertSuccess();
        var pid = first.State().Pid;
        var second = NewContainer(s => s.Args("sleep", "100"));
        Cli.Run("create", "--bundle", second.Bundle.Dir, first.Id).AssertFailure();
        var state = first.State();
        Assert.Equal(Status.Created, state.Status);
        Assert.Equal(pid, state.Pid);
        Assert.Empty(CgroupHierarchies.Existing(second.CgroupsPath));
    }

    [Fact]
    public void PidFile_HoldsTheInitPid()
    {
        var c = NewContainer(s => s.Args("sleep", "100"));
        var pidFile = Path.Combine(TempDir, "init.pid");
        c.Create("--pid-file", pidFile).AssertSuccess();
        var state = c.State();
        Assert.Equal(state.Pid.ToString(), File.ReadAllText(pidFile).Trim());
    }

    [Fact]
    public void RunDetach_ReturnsAtOnce_LeavingItRunning()
    {
        var c = NewContainer(s => s.Shell("echo started; sleep 100"));
        var run = c.Run("--detach").AssertSuccess();
        var state = c.State();
        Assert.Equal(Status.Running, state.Status);
        Assert.Contains("started", Poll.FileContains(run.StdoutPath, "started"));
        c.Kill().AssertSuccess();
        c.WaitForStatus(Status.Stopped);
    }

    [RuntimeFact(DeviatesOn = "crun", Because = "crun 1.8 has no `run --keep`")]
    public void RunKeep_LeavesTheStoppedContainer_ForDelete()
    {
        var c = NewContainer(s => s.Shell("exit 7"));
        Assert.Equal(7, c.Run("--keep").ExitCode);
        var state = c.State();
        Assert.Equal(Status.Stopped, state.Status);
        c.Delete().AssertSuccess();
        Assert.NotEqual(0, c.Cli.Run("state", c.Id).ExitCode);
    }

    [Fact]
    public void List_ShowsTheContainers_InJsonAndQuiet()
    {
        var a = NewContainer(s => s.Args("sleep", "100"));
        var b = NewContainer(s => s.Args("sleep", "100"));
        a.CreateAndStart();
        b.Create().AssertSuccess();
        var bPid = b.State().Pid;

        using var doc = JsonDocument.Parse(Cli.Run("list", "--format", "json").AssertSuccess().Stdout);
        var entries = doc.RootElement.EnumerateArray().Select(ContainerState.From).ToDictionary(e => e.Id);
        Assert.Equal(2, entries.Count);
        Assert.Equal(Status.Running, entries[a.Id].Status);
        Assert.Equal(Status.Created, entries[b.Id].Status);
        Assert.Equal(bPid, entries[b.Id].Pid);
        Assert.Equal(Path.GetFullPath(a.Bundle.Dir), entries[a.Id].Bundle);

        var quiet = Cli.Run("list", "-q").AssertSuccess().Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(new[] { a.Id, b.Id }.Order(), quiet.Order());
    }

    [Fact]
    public void List_OfAnEmptyRoot_IsEmpty()
    {
        // runc prints `null`, crun `[]`: both mean no containers.
        var text = Cli.Run("list", "--format", "json").AssertSuccess().Stdout.Trim();
        if (text.Length == 0)
            return;
        using var doc = JsonDocument.Parse(text);
        Assert.True(doc.RootElement.ValueKind == JsonValueKind.Null
            || (doc.RootElement.ValueKind == JsonValueKind.Array && doc.RootElement.GetArrayLength() == 0),
            $"list of an empty root printed `{text}`");
    }

    [Fact]
    public void Kill_DeliversTheSignal_ToTheInit()
    {
        var c = NewContainer(s => s.Shell(
            "trap 'echo usr1 >> /tmp/marker' USR1; echo ready > /tmp/ready; while true; do sleep 0.05; done"));
        c.CreateAndStart();
        Poll.FileContains(c.Bundle.HostPath("/tmp/ready"), "ready");
        c.Kill("USR1").AssertSuccess();
        Assert.Equal("usr1\n", Poll.FileContains(c.Bundle.HostPath("/tmp/marker"), "usr1"));
        c.Kill("SIGUSR1").AssertSuccess();
        Assert.Equal("usr1\nusr1\n", Poll.FileContains(c.Bundle.HostPath("/tmp/marker"), "usr1\nusr1"));
        Assert.Equal(Status.Running, c.State().Status);

        c.Kill("9").AssertSuccess();
        c.WaitForStatus(Status.Stopped);
    }

    [Fact]
    public void Kill_WithoutSignal_SendsTerm()
    {
        var c = NewContainer(s => s.Shell(
            "trap 'echo term > /tmp/marker; exit 0' TERM; echo ready > /tmp/ready; while true; do sleep 0.05; done"));
        c.CreateAndStart();
        Poll.FileContains(c.Bundle.HostPath("/tmp/ready"), "ready");
        Cli.Run("kill", c.Id).AssertSuccess();
        Assert.Equal("term\n", Poll.FileContains(c.Bundle.HostPath("/tmp/marker"), "term"));
        c.WaitForStatus(Status.Stopped);
    }

    [Fact]
    public void KillAll_SignalsEveryProcess_NotOnlyTheInit()
    {
        // The init traps TERM and lives on; its child `sleep 1000` has no handler and dies —
        // but only when the signal reaches it, which plain `kill` does not do.
        var c = NewContainer(s => s.Shell(
            "trap 'echo term >> /tmp/marker' TERM; sleep 1000 & echo $! > /tmp/child; while true; do sleep 0.05; done"));
        c.CreateAndStart();
        Poll.FileContains(c.Bundle.HostPath("/tmp/child"), "\n");
        var child = HostPidOf(c, "sleep 1000");

        c.Kill("TERM").AssertSuccess();
        Poll.FileContains(c.Bundle.HostPath("/tmp/marker"), "term");
        Thread.Sleep(200);
        Assert.True(child.IsAlive, "plain kill reaches the init only");

        c.Kill("TERM", all: true).AssertSuccess();
        Assert.True(Poll.Until(() => !child.IsAlive, 5), "kill --all reaches the child");
        Assert.Equal("term\nterm\n", Poll.FileContains(c.Bundle.HostPath("/tmp/marker"), "term\nterm"));
        Assert.Equal(Status.Running, c.State().Status);
    }

    [Fact]
    public void Kill_OfAStoppedContainer_Fails()
    {
        var c = NewContainer(s => s.Args("true"));
        c.CreateAndStart();
        c.WaitForStatus(Status.Stopped);
        c.Kill("KILL").AssertFailure();
    }

    /// <summary>
    /// The host pid of the container process whose command line is <paramref name="cmdline"/>.
    /// Polled: the shell writes <c>$!</c> right after fork, possibly before the child has
    /// exec'd, when its command line is still the shell's.
    /// </summary>
    private static ProcessIdentity HostPidOf(Container c, string cmdline)
    {
        IReadOnlyList<int> procs = [];
        ProcessIdentity? found = null;
        Poll.Until(() =>
        {
            procs = CgroupHierarchies.Pids(CgroupHierarchies.PathOf("pids", c.CgroupsPath)!);
            foreach (var pid in procs)
            {
                string text;
                try
                {
                    text = File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ').Trim();
                }
                catch (IOException)
                {
                    continue;
                }
                if (text == cmdline && ProcessIdentity.Of(pid) is { } identity)
                {
                    c.Remember(pid);
                    found = identity;
                    return true;
                }
            }
            return false;
        }, 5);
        return found ?? throw new Xunit.Sdk.XunitException($"no `{cmdline}` among {string.Join(",", procs)}");
    }
}
