using System.Text.Json;
using Berth.Engine.Logs;
using Berth.Engine.Monitor;
using Berth.Linux;
using Berth.Linux.Interop;

namespace Berth.Monitor;

/// <summary>
/// One container's monitor: creates and starts it through the runtime, holds its stdio, logs its
/// output, serves attach clients, reaps it (as child subreaper), applies the restart policy, and
/// after the final exit deletes it, records the exit and runs the exit command. One thread, one
/// poll(2) loop, no timers when idle.
/// </summary>
internal sealed unsafe partial class Supervisor
{
    private const int SyncFd = 3;
    private const int FirstClientFd = 4;

    private readonly string dir;
    private MonitorConfig config = null!;
    private MonitorState state = new();
    private JsonFileLogWriter? log;
    private int signalFd = -1;
    private int syncFd = SyncFd;
    private bool stopRequested;
    private long restartAt = -1;
    private long backoffMs;
    private long startedTicks;

    private readonly bool hasFirstClient;

    /// <param name="hasFirstClient">
    /// fd 4 is an attach client the launcher passed. Said explicitly, never guessed from fd 4
    /// being open: the .NET runtime may itself open a file there (e.g. /dev/urandom).
    /// </param>
    public Supervisor(string dir, bool hasFirstClient)
    {
        this.dir = dir;
        this.hasFirstClient = hasFirstClient;
    }

    public int Run()
    {
        try
        {
            Initialise();
        }
        catch (Exception e)
        {
            Fail(e.Message, 125);
            return 1;
        }
        if (!TryStart(out var error, out var code))
        {
            Fail(error, code);
            Finish(code, error);
            return 0;
        }
        Reply(new MonitorStartReply { Pid = state.Pid });
        try
        {
            Loop();
        }
        catch (Exception e)
        {
            // Leave the evidence; the probe reports this monitor as dead.
            state = state with { Error = "monitor: " + e.Message };
            state.Write(dir);
            throw;
        }
        return 0;
    }

    private void Initialise()
    {
        Libc.chdir("/");
        Libc.prctl(Libc.PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0);
        // A container that closed its stdin must give EPIPE, not kill the monitor (children get SIG_DFL back from the spawner).
        Libc.signal(Signals.SIGPIPE, 1);
        var mask = stackalloc ulong[16];
        new Span<ulong>(mask, 16).Clear();
        mask[0] = DetachedSpawn.MonitorSignals;
        Libc.sigprocmask(Libc.SIG_BLOCK, mask, null);
        signalFd = Errno.Check(Libc.signalfd(-1, mask, Libc.SFD_CLOEXEC | Libc.SFD_NONBLOCK), "signalfd");
        Libc.fcntl(SyncFd, Libc.F_SETFD, Libc.FD_CLOEXEC);
        ProcFs.TryReadStat(Libc.getpid(), out _, out var startTime);
        state = new MonitorState { MonitorPid = Libc.getpid(), MonitorStartTime = startTime, Status = MonitorStatus.Created };
        var read = JsonSerializer.Deserialize(File.ReadAllBytes(MonitorPaths.Config(dir)), MonitorJsonContext.Default.MonitorConfig)
            ?? throw Berth.Errdefs.BerthException.InvalidArgument("monitor.json is empty");
        // Members absent from the file come back null from the generated (init-only) setter.
        config = read with
        {
            RuntimeArgs = read.RuntimeArgs ?? [],
            ExitCommand = read.ExitCommand ?? [],
            RestartPolicy = read.RestartPolicy ?? new RestartPolicy(),
            StopSignal = read.StopSignal ?? "SIGTERM",
        };
        state.Write(dir);
        if (config.LogPath is { } path)
            log = new JsonFileLogWriter(path, config.LogMaxSize, config.LogMaxFiles);
        listenFd = UnixSockets.Listen(MonitorPaths.AttachSocket(dir), Libc.SOCK_SEQPACKET, 32);
        if (hasFirstClient)
        {
            Libc.fcntl(FirstClientFd, Libc.F_SETFD, Libc.FD_CLOEXEC);
            AddClient(FirstClientFd);
        }
    }

    private void Loop()
    {
        while (true)
        {
            var count = BuildPollSet();
            var timeout = -1;
            if (restartAt >= 0)
                timeout = (int)Math.Max(0, restartAt - Environment.TickCount64);
            int ready;
            fixed (PollFd* p = pollSet)
                ready = Libc.poll(p, (nuint)count, timeout);
            if (ready < 0)
            {
                if (System.Runtime.InteropServices.Marshal.GetLastPInvokeError() == Errno.EINTR)
                    continue;
                throw Errno.Last("poll");
            }
            if (restartAt >= 0 && Environment.TickCount64 >= restartAt)
            {
                restartAt = -1;
                if (!Restart())
                    return;
                continue;
            }
            if (ready == 0)
                continue;
            if (HandleSignals(pollSet[0].Revents) is { } exitCode && !AfterExit(exitCode))
                return;
            HandleReady(count);
        }
    }

    /// <summary>Reaps children; returns the container's exit code when it has exited.</summary>
    private int? HandleSignals(short revents)
    {
        if ((revents & Libc.POLLIN) == 0)
            return null;
        var info = stackalloc byte[Libc.SignalfdSiginfoBytes];
        var terminate = false;
        while (Libc.read(signalFd, info, Libc.SignalfdSiginfoBytes) == Libc.SignalfdSiginfoBytes)
        {
            var signal = *(int*)info;
            if (signal is Signals.SIGTERM or Signals.SIGINT)
                terminate = true;
        }
        if (terminate)
            OnTerminate();
        int? exit = null;
        int status;
        int pid;
        while ((pid = Libc.waitpid(-1, &status, 1)) > 0)
        {
            if (pid == state.Pid)
                exit = Children.Decode(status);
        }
        return exit;
    }

    /// <summary>SIGTERM: the host is stopping the monitor. Stop the container for good; the exit path does the rest.</summary>
    private void OnTerminate()
    {
        stopRequested = true;
        if (state.Pid > 0)
            Libc.kill(state.Pid, ParseStopSignal());
        else if (restartAt >= 0)
            restartAt = Environment.TickCount64;
    }

    private int ParseStopSignal()
    {
        try
        {
            return Signals.Parse(config.StopSignal);
        }
        catch (Berth.Errdefs.BerthException)
        {
            return Signals.SIGTERM;
        }
    }

    /// <summary>After the container exited: drain, delete, notify, then restart later or finish. False when the monitor is done.</summary>
    private bool AfterExit(int exitCode)
    {
        DrainOutput();
        log?.Flush();
        var oom = oomWatch?.Killed() ?? false;
        RunRuntime("delete", ["--force", config.Id], out _);
        CloseContainerFds();
        // Clients hear of the exit only once the state says so: `start -a` followed by `inspect`
        // must see it exited (Finish writes the state before it notifies).
        var ranMs = Environment.TickCount64 - startedTicks;
        stopRequested |= MonitorControl.IsStopRequested(dir);
        if (!stopRequested && config.RestartPolicy.ShouldRestart(exitCode, state.RestartCount))
        {
            // docker: 100 ms, doubling, reset once a run lasted 10 s.
            backoffMs = ranMs >= 10_000 || backoffMs == 0 ? 100 : Math.Min(backoffMs * 2, 60_000);
            restartAt = Environment.TickCount64 + backoffMs;
            state = state with { Status = MonitorStatus.Restarting, Pid = 0, ExitCode = exitCode, OOMKilled = oom, FinishedAt = DateTimeOffset.UtcNow };
            state.Write(dir);
            NotifyExit(exitCode);
            return true;
        }
        state = state with { OOMKilled = oom };
        Finish(exitCode, null);
        return false;
    }

    private bool Restart()
    {
        if (stopRequested || MonitorControl.IsStopRequested(dir))
        {
            Finish(state.ExitCode, null);
            return false;
        }
        state = state with { RestartCount = state.RestartCount + 1 };
        if (TryStart(out var error, out var code))
            return true;
        Finish(code, error);
        return false;
    }

    /// <summary>The final exit: record it, let clients and waiters go, run the exit command.</summary>
    private void Finish(int exitCode, string? error)
    {
        state = state with
        {
            Status = MonitorStatus.Exited,
            Pid = 0,
            ExitCode = exitCode,
            Error = error,
            FinishedAt = DateTimeOffset.UtcNow,
        };
        state.Write(dir);
        CloseListener();
        NotifyExit(exitCode);
        log?.Dispose();
        log = null;
        if (config is { ExitCommand.Count: > 0 })
        {
            var devNull = Libc.open("/dev/null", Libc.O_RDWR | Libc.O_CLOEXEC, 0);
            try
            {
                var pid = Spawner.Spawn(new SpawnRequest(config.ExitCommand[0], config.ExitCommand, Environ()) { FdMap = [(devNull, 0), (devNull, 1), (devNull, 2)] });
                Libc.close(devNull);
                devNull = -1;
                Children.Wait(pid);
            }
            catch (Berth.Errdefs.BerthException)
            {
                // Nobody is left to tell; the final state is already on disk.
            }
            finally
            {
                if (devNull >= 0)
                    Libc.close(devNull);
            }
        }
    }

    /// <summary>Reports a failure to start to the launcher (if it still waits) and in the state file.</summary>
    private void Fail(string error, int exitCode)
    {
        // The state first: a launcher woken by the reply must find it.
        try
        {
            state = state with { Status = MonitorStatus.Exited, Error = error, ExitCode = exitCode, FinishedAt = DateTimeOffset.UtcNow };
            state.Write(dir);
        }
        catch (Exception)
        {
            // The reply carries the error anyway.
        }
        Reply(new MonitorStartReply { Error = error, ExitCode = exitCode });
    }

    private void Reply(MonitorStartReply reply)
    {
        if (syncFd < 0)
            return;
        var bytes = JsonSerializer.SerializeToUtf8Bytes(reply, MonitorJsonContext.Default.MonitorStartReply);
        fixed (byte* p = bytes)
            Libc.write(syncFd, p, (nuint)bytes.Length);
        Libc.close(syncFd);
        syncFd = -1;
    }
}
