using System.Text.Json;
using Berth.Engine.Monitor;
using Berth.Errdefs;

namespace Berth.Engine.Tests.Monitor;

public sealed class MonitorContractTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("berth-monitor-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    [Theory]
    [InlineData("no", 0, 0, false)]
    [InlineData("always", 0, 5, true)]
    [InlineData("unless-stopped", 0, 5, true)]
    [InlineData("on-failure", 0, 100, false)]
    [InlineData("on-failure", 1, 100, true)]
    [InlineData("on-failure:2", 1, 1, true)]
    [InlineData("on-failure:2", 1, 2, false)]
    public void RestartPolicyFollowsDocker(string text, int exitCode, int restarts, bool expected) =>
        Assert.Equal(expected, RestartPolicy.Parse(text).ShouldRestart(exitCode, restarts));

    [Theory]
    [InlineData("sometimes")]
    [InlineData("always:3")]
    [InlineData("on-failure:x")]
    public void BadRestartPolicyIsInvalidArgument(string text) =>
        Assert.Equal(ErrorKind.InvalidArgument, Assert.Throws<BerthException>(() => RestartPolicy.Parse(text)).Kind);

    [Theory]
    [InlineData("exec: \"nope\": executable file not found in $PATH", 127)]
    [InlineData("exec: \"/x\": stat /x: no such file or directory", 127)]
    [InlineData("exec: \"/etc\": permission denied", 126)]
    [InlineData("cgroup: invalid argument", 125)]
    public void RuntimeErrorsMapToDockersExitCodes(string message, int code) => Assert.Equal(code, RuntimeErrors.ExitCodeFor(message));

    [Fact]
    public void RuncLogrusLineIsUnquoted() =>
        Assert.Equal("runc create failed: exec: \"nope\": executable file not found in $PATH",
            RuntimeErrors.Clean("time=\"2024\" level=error msg=\"runc create failed: exec: \\\"nope\\\": executable file not found in $PATH\"\n"));

    [Fact]
    public void StateRoundTripsWithStatusAsLowercaseString()
    {
        var state = new MonitorState { MonitorPid = 1, Status = MonitorStatus.Restarting, ExitCode = 3, RestartCount = 2 };
        state.Write(dir);
        Assert.Contains("\"status\":\"restarting\"", File.ReadAllText(MonitorPaths.State(dir)));
        Assert.True(MonitorState.TryRead(dir, out var read));
        Assert.Equal(state, read);
    }

    [Fact]
    public void ConfigDefaultsSurviveJson()
    {
        var config = new MonitorConfig { Id = "c", BundlePath = "/b", RuntimePath = "/r" };
        var json = JsonSerializer.Serialize(config, MonitorJsonContext.Default.MonitorConfig);
        var read = JsonSerializer.Deserialize(json, MonitorJsonContext.Default.MonitorConfig)!;
        Assert.Equal(20 * 1024 * 1024, read.LogMaxSize);
        Assert.Equal(5, read.LogMaxFiles);
        Assert.Equal(RestartPolicy.No, read.RestartPolicy.Name);
    }

    [Fact]
    public void ProbeReportsADeadMonitorNeverRunning()
    {
        Assert.Equal(MonitorHealth.Unknown, MonitorProbe.Check(dir).Health);
        // A pid that cannot be a live process with this start time.
        new MonitorState { MonitorPid = int.MaxValue - 1, MonitorStartTime = 1, Status = MonitorStatus.Running, Pid = 42 }.Write(dir);
        var probe = MonitorProbe.Check(dir);
        Assert.Equal(MonitorHealth.Dead, probe.Health);
        Assert.Equal(MonitorProbe.DeadError, probe.Error);
        new MonitorState { Status = MonitorStatus.Exited, ExitCode = 7 }.Write(dir);
        Assert.Equal(MonitorHealth.Exited, MonitorProbe.Check(dir).Health);
    }

    [Fact]
    public void StopRequestIsAFile()
    {
        Assert.False(MonitorControl.IsStopRequested(dir));
        MonitorControl.RequestStop(dir);
        Assert.True(MonitorControl.IsStopRequested(dir));
        MonitorControl.ClearStopRequest(dir);
        Assert.False(MonitorControl.IsStopRequested(dir));
    }
}
