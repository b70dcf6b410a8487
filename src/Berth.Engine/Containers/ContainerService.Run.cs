using System.Globalization;
using Berth.Engine.Model;
using Berth.Engine.Monitor;
using Berth.Errdefs;

namespace Berth.Engine.Containers;

public sealed partial class ContainerService
{
    private static readonly TimeSpan ExitPoll = TimeSpan.FromMilliseconds(5);

    /// <summary>
    /// Starts a created or stopped container under a new monitor and returns its pid. Starting
    /// a running container does nothing, as in docker. With <paramref name="attach"/> the caller
    /// is attached before the process runs, so no output is lost. A process that cannot be
    /// started fails with the runtime's message and docker's exit code
    /// (<see cref="MonitorLauncher.ExitCodeOf"/>).
    /// </summary>
    public async Task<int> StartAsync(string idOrName, AttachStreams? attach = null, CancellationToken cancellationToken = default)
    {
        var record = Store.Resolve(idOrName);
        var dir = Store.Dir(record.Id);
        using var held = Store.Lock(record.Id);
        record = Store.TryRead(record.Id) ?? throw BerthException.NotFound($"No such container: {idOrName}");
        var state = ContainerState.Of(dir, record);
        if (state.Dead)
            throw BerthException.FailedPrecondition($"container {record.Id} is dead: {state.Error}; remove it with `berth rm -f`");
        if (state.IsActive)
        {
            if (attach is not null)
                throw BerthException.Conflict($"container {record.Id} is already running");
            return state.Pid;
        }
        if (record.Paused)
            Store.Update(record = record with { Paused = false });
        if (Directory.Exists(Path.Combine(Runtime.StateRoot, record.Id)))
            TryRun(() => Runtime.Delete(record.Id));

        Snapshot.Mount(dir, record.LayerChain);
        record = WriteBundle(record, dir);
        try
        {
            return await Launcher.StartAsync(dir, MonitorConfigFor(record, dir), attach, cancellationToken).ConfigureAwait(false);
        }
        catch (BerthException)
        {
            Snapshot.Unmount(dir);
            throw;
        }
    }

    private MonitorConfig MonitorConfigFor(ContainerRecord record, string dir)
    {
        var log = record.HostConfig.LogConfig.Config;
        return new MonitorConfig
        {
            Id = record.Id,
            BundlePath = Path.Combine(dir, "bundle"),
            RuntimePath = _options.RuntimePath,
            RuntimeRoot = Runtime.StateRoot,
            Tty = record.Config.Tty,
            OpenStdin = record.Config.OpenStdin,
            StdinOnce = record.Config.StdinOnce,
            LogPath = LogPath(dir, record.Id),
            LogMaxSize = log.TryGetValue("max-size", out var size) ? Units.ParseSize(size, "log-opt max-size") : 20L * 1024 * 1024,
            LogMaxFiles = log.TryGetValue("max-file", out var files) && int.TryParse(files, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : 5,
            RestartPolicy = new Monitor.RestartPolicy
            {
                Name = record.HostConfig.RestartPolicy.Name is { Length: > 0 } name ? name : "no",
                MaximumRetryCount = record.HostConfig.RestartPolicy.MaximumRetryCount,
            },
            ExitCommand =
            [
                _options.BerthPath, "--root", _options.Root, "--runroot", _options.RunRoot,
                "--runtime", _options.RuntimePath, "container", "cleanup", record.Id,
            ],
            StopSignal = StopSignalOf(record),
        };
    }

    public static string LogPath(string dir, string id) => Path.Combine(dir, id + "-json.log");

    public static string StopSignalOf(ContainerRecord record) =>
        record.Config.StopSignal is { Length: > 0 } signal ? signal : "SIGTERM";

    /// <summary>
    /// Docker's stop: the stop signal, then SIGKILL after the timeout (the container's
    /// StopTimeout, else 10 s). Stopping a stopped container is not an error. The restart policy
    /// does not bring it back.
    /// </summary>
    public async Task StopAsync(string idOrName, int? timeoutSeconds = null, string? signal = null, CancellationToken cancellationToken = default)
    {
        var record = Store.Resolve(idOrName);
        var dir = Store.Dir(record.Id);
        using var held = Store.Lock(record.Id);
        record = Store.TryRead(record.Id) ?? throw BerthException.NotFound($"No such container: {idOrName}");
        var state = ContainerState.Of(dir, record);
        if (!state.IsActive || state.Dead)
            return;
        var timeout = timeoutSeconds ?? record.Config.StopTimeout ?? 10;
        MonitorControl.RequestStop(dir);
        if (timeout != 0)
        {
            var sent = Signal(record, signal ?? StopSignalOf(record));
            if (sent && await WaitForExitAsync(dir, timeout < 0 ? Timeout.InfiniteTimeSpan : TimeSpan.FromSeconds(timeout), cancellationToken).ConfigureAwait(false))
                return;
        }
        await KillAndWaitLockedAsync(record, dir, "SIGKILL", TimeSpan.FromSeconds(30), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Docker's kill: a signal (default SIGKILL) to a running container; Conflict when it is not running.</summary>
    public void Kill(string idOrName, string signal = "SIGKILL")
    {
        var record = Store.Resolve(idOrName);
        var dir = Store.Dir(record.Id);
        var number = Berth.Linux.Signals.Parse(signal);
        using var held = Store.Lock(record.Id);
        record = Store.TryRead(record.Id) ?? throw BerthException.NotFound($"No such container: {idOrName}");
        var state = ContainerState.Of(dir, record);
        if (!state.Running || state.Dead)
            throw BerthException.Conflict($"cannot kill container: {idOrName}: container {record.Id} is not running");
        if (number == 9 || number == Berth.Linux.Signals.Parse(StopSignalOf(record)))
            MonitorControl.RequestStop(dir);
        if (!Signal(record, signal) && state.Restarting)
            return;
    }

    /// <summary>Docker's restart: stop (with its timeout) then start.</summary>
    public async Task RestartAsync(string idOrName, int? timeoutSeconds = null, string? signal = null, CancellationToken cancellationToken = default)
    {
        await StopAsync(idOrName, timeoutSeconds, signal, cancellationToken).ConfigureAwait(false);
        var record = Store.Resolve(idOrName);
        await WaitForExitAsync(Store.Dir(record.Id), TimeSpan.FromSeconds(5), cancellationToken).ConfigureAwait(false);
        await StartAsync(record.Id, null, cancellationToken).ConfigureAwait(false);
    }

    public void Pause(string idOrName) => SetPaused(idOrName, true);

    public void Unpause(string idOrName) => SetPaused(idOrName, false);

    private void SetPaused(string idOrName, bool paused)
    {
        var record = Store.Resolve(idOrName);
        var dir = Store.Dir(record.Id);
        using var held = Store.Lock(record.Id);
        record = Store.TryRead(record.Id) ?? throw BerthException.NotFound($"No such container: {idOrName}");
        var state = ContainerState.Of(dir, record);
        if (!state.Running || state.Restarting || state.Dead)
            throw BerthException.Conflict($"container {record.Id} is not running");
        if (paused && state.Paused)
            throw BerthException.Conflict($"container {record.Id} is already paused");
        if (!paused && !state.Paused)
            throw BerthException.Conflict($"container {record.Id} is not paused");
        if (paused)
            Runtime.Pause(record.Id);
        else
            Runtime.Resume(record.Id);
        Store.Update(record with { Paused = paused });
    }

    /// <summary>
    /// Waits until the container is not running and returns its exit code (docker's
    /// condition "not-running"): at once for a stopped one. A monitor that died is Unavailable.
    /// </summary>
    public async Task<int> WaitAsync(string idOrName, CancellationToken cancellationToken = default)
    {
        var view = Get(idOrName);
        if (view.State.Dead)
            throw BerthException.Unavailable($"container {view.Id}: {view.State.Error}");
        if (!view.State.IsActive)
            return view.State.ExitCode;
        return await MonitorWaiter.WaitAsync(view.Dir, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Sends a signal through the runtime; false when there was no process to signal (between restarts, or already gone).</summary>
    private bool Signal(ContainerRecord record, string signal)
    {
        try
        {
            Runtime.Kill(record.Id, signal);
            if (record.Paused)
            {
                // A frozen process cannot act on a signal: thaw it, as docker does when stopping.
                TryRun(() => Runtime.Resume(record.Id));
                Store.Update(record with { Paused = false });
            }
            return true;
        }
        catch (BerthException e) when (e.Kind is ErrorKind.NotFound or ErrorKind.FailedPrecondition)
        {
            return false;
        }
    }

    private async Task KillAndWaitLockedAsync(ContainerRecord record, string dir, string signal, TimeSpan timeout, CancellationToken cancellationToken)
    {
        MonitorControl.RequestStop(dir);
        Signal(record, signal);
        if (await WaitForExitAsync(dir, timeout, cancellationToken).ConfigureAwait(false))
            return;
        throw BerthException.Unavailable($"container {record.Id} did not exit within {timeout.TotalSeconds:0} s of {signal}");
    }

    /// <summary>Waits (up to <paramref name="timeout"/>) until the monitor has recorded the container's final exit.</summary>
    public async Task<bool> WaitStoppedAsync(string id, TimeSpan timeout, CancellationToken cancellationToken = default) =>
        await WaitForExitAsync(Store.Dir(id), timeout, cancellationToken).ConfigureAwait(false);

    /// <summary>True once the monitor has recorded the final exit (or died), false on timeout.</summary>
    private static async Task<bool> WaitForExitAsync(string dir, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = timeout == Timeout.InfiniteTimeSpan ? DateTime.MaxValue : DateTime.UtcNow + timeout;
        while (true)
        {
            var probe = MonitorProbe.Check(dir);
            if (probe.Health is MonitorHealth.Exited or MonitorHealth.Dead or MonitorHealth.Unknown)
                return true;
            if (DateTime.UtcNow >= deadline)
                return false;
            await Task.Delay(ExitPoll, cancellationToken).ConfigureAwait(false);
        }
    }
}
