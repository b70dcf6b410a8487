using Berth.Engine.Monitor;
using Berth.Linux.Interop;

namespace Berth.IntegrationTests.Monitor;

/// <summary>
/// One container under a monitor in a temp directory; Dispose kills whatever is left (monitor,
/// container), deletes it from the runtime and removes the directory, pass or fail.
/// </summary>
public sealed class TestContainer : IDisposable
{
    private static int counter;

    public TestContainer(string runtime, IReadOnlyList<string> args, bool tty = false)
    {
        var runtimePath = MonitorHarness.RuntimePath(runtime);
        if (runtimePath is null)
            throw new InvalidOperationException($"runtime {runtime} not found: build berth-runtime or install runc/crun");
        Id = $"mon-{runtime}-{Environment.ProcessId}-{Interlocked.Increment(ref counter)}";
        Dir = Directory.CreateTempSubdirectory("berth-monitor-it-").FullName;
        RuntimeRoot = Path.Combine(Dir, "runtime-root");
        var bundle = Path.Combine(Dir, "bundle");
        Directory.CreateDirectory(bundle);
        File.WriteAllText(Path.Combine(bundle, "config.json"), MonitorHarness.Config(args, tty));
        Config = new MonitorConfig
        {
            Id = Id,
            BundlePath = bundle,
            RuntimePath = runtimePath!,
            RuntimeRoot = RuntimeRoot,
            Tty = tty,
            LogPath = Path.Combine(Dir, "container.log"),
        };
    }

    public string Id { get; }

    public string Dir { get; }

    public string RuntimeRoot { get; }

    public MonitorConfig Config { get; set; }

    public string LogPath => Config.LogPath!;

    public Task<int> StartAsync(AttachStreams? attach = null) =>
        new MonitorLauncher(MonitorHarness.MonitorBinary).StartAsync(Dir, Config, attach, CancellationToken.None);

    public async Task<int> WaitAsync(int seconds = 30) =>
        await MonitorWaiter.WaitAsync(Dir, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(seconds));

    public MonitorState State => MonitorState.TryRead(Dir, out var s) ? s : throw new InvalidOperationException("no monitor state");

    public void Dispose()
    {
        if (MonitorState.TryRead(Dir, out var state))
        {
            if (state.IsMonitorAlive())
                Libc.kill(state.MonitorPid, 9);
            if (state.Pid > 0)
                Libc.kill(state.Pid, 9);
        }
        try
        {
            MonitorHarness.Run(Config.RuntimePath, "--root", RuntimeRoot, "delete", "--force", Id);
        }
        catch (InvalidOperationException)
        {
            // Already deleted by the monitor.
        }
        for (var i = 0; i < 50; i++)
        {
            try
            {
                Directory.Delete(Dir, recursive: true);
                return;
            }
            catch (IOException)
            {
                Thread.Sleep(20);
            }
        }
    }
}
