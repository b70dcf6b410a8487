namespace Berth.IntegrationTests.Monitor;

/// <summary>A theory over runtimes that skips, saying why, when not root or the binaries are not built.</summary>
public sealed class MonitorTheoryAttribute : TheoryAttribute
{
    public MonitorTheoryAttribute()
    {
        if (Environment.UserName != "root")
            Skip = "needs root";
        else if (!File.Exists(MonitorHarness.MonitorBinary))
            Skip = $"berth-monitor not built at {MonitorHarness.MonitorBinary} (scripts/build, or set BERTH_TEST_MONITOR)";
    }
}
