using Berth.Engine.Monitor;
using Berth.IntegrationTests.Cli;
using Berth.Linux.Interop;

namespace Berth.IntegrationTests.Faults;

/// <summary>A container whose monitor is SIGKILLed is reported as dead, never running, and rm -f cleans it up.</summary>
public sealed class MonitorKillTests(BerthFixture berth) : IClassFixture<BerthFixture>
{
    [BerthFact]
    public void KilledMonitorIsReportedAndRmForceCleansUp()
    {
        var name = $"mon-{Guid.NewGuid():N}"[..12];
        var id = berth.Ok("run", "-d", "--name", name, BerthFixture.Image, "sleep", "1000").Trim();
        var dir = Path.Combine(berth.Root, "containers", id);
        Assert.True(MonitorState.TryRead(dir, out var state), "no monitor-state.json");
        Assert.True(state.IsMonitorAlive());
        var containerPid = state.Pid;
        Assert.True(containerPid > 0);

        Assert.Equal(0, Libc.kill(state.MonitorPid, 9));
        for (var i = 0; i < 100 && state.IsMonitorAlive(); i++)
            Thread.Sleep(20);

        var ps = berth.Run("ps", "-a", "--filter", $"name=^{name}$", "--format", "{{.State}}|{{.Status}}");
        Assert.True(ps.ExitCode == 0, ps.ToString());
        Assert.DoesNotContain("running", ps.Stdout);
        Assert.DoesNotContain("Up ", ps.Stdout);
        Assert.StartsWith("dead|", ps.Stdout.Trim());
        var inspect = berth.Run("inspect", "--format", "{{.State.Status}} {{.State.Running}} {{.State.Dead}}", name);
        Assert.Equal("dead false true", inspect.Stdout.Trim());

        var rm = berth.Run("rm", "-f", name);
        Assert.True(rm.ExitCode == 0, rm.ToString());
        Assert.False(Directory.Exists(dir), "container directory left behind");
        Thread.Sleep(100);
        Assert.False(Directory.Exists($"/proc/{containerPid}") && !File.ReadAllText($"/proc/{containerPid}/stat").Contains(") Z "),
            $"container process {containerPid} still alive after rm -f");
        Assert.Empty(BerthFixture.MountsUnder(Path.Combine(berth.Root, "containers")));
    }
}
