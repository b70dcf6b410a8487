using Berth.Linux.Files;
using System.Text.Json;
using Berth.Errdefs;
using Berth.Linux;
using Berth.Linux.Interop;
using Microsoft.Win32.SafeHandles;

namespace Berth.Engine.Monitor;

/// <summary>
/// Starts a container under its own monitor. <see cref="StartAsync"/> writes
/// <c>DIR/monitor.json</c>, starts <c>berth-monitor DIR</c> detached (its own session, stdio on
/// /dev/null, cwd /; re-parented to init or a subreaper once the caller exits) and waits on a
/// sync pipe until the monitor has created and started the container through the runtime. The
/// caller may exit at once afterwards: the container keeps running, and everything about it is in
/// <c>DIR</c> (<see cref="MonitorPaths"/>).
/// </summary>
public sealed class MonitorLauncher
{
    /// <summary>The key under which a start failure's <see cref="BerthException"/> carries docker's exit code.</summary>
    public const string ExitCodeKey = "Berth.ExitCode";

    /// <param name="monitorPath">The berth-monitor executable.</param>
    public MonitorLauncher(string monitorPath) => MonitorPath = monitorPath;

    public string MonitorPath { get; }

    /// <summary>
    /// Starts the container described by <paramref name="config"/>; returns its pid once it runs.
    /// Throws a <see cref="BerthException"/> with the runtime's message when it cannot be started;
    /// <see cref="ExitCodeOf"/> gives docker's exit code for it (127 not found, 126 not
    /// executable, else 125). With <paramref name="attach"/>, the monitor takes its connection as
    /// the first attached client before the container starts.
    /// </summary>
    public async Task<int> StartAsync(string containerDir, MonitorConfig config, AttachStreams? attach, CancellationToken cancellationToken)
    {
        var dir = Path.GetFullPath(containerDir);
        config = config with { RuntimePath = ResolveExecutable(config.RuntimePath), BundlePath = Path.GetFullPath(config.BundlePath) };
        Directory.CreateDirectory(dir);
        MonitorControl.ClearStopRequest(dir);
        File.Delete(MonitorPaths.State(dir));
        AtomicFile.Write(MonitorPaths.Config(dir), JsonSerializer.SerializeToUtf8Bytes(config, MonitorJsonContext.Default.MonitorConfig), durable: false);

        var reader = SpawnMonitor(dir, attach);
        byte[] reply;
        using (var stream = new FileStream(reader, FileAccess.Read, bufferSize: 0))
        using (var buffer = new MemoryStream())
        {
            await stream.CopyToAsync(buffer, cancellationToken).ConfigureAwait(false);
            reply = buffer.ToArray();
        }
        return Interpret(config.Id, dir, reply);
    }

    /// <summary>Docker's exit code for a failed start: 127, 126, or 125 for anything else.</summary>
    public static int ExitCodeOf(Exception e) => e.Data[ExitCodeKey] is int code ? code : 125;

    private SafeFileHandle SpawnMonitor(string dir, AttachStreams? attach)
    {
        var pipe = CreatePipe();
        var devNull = -1;
        try
        {
            devNull = Errno.Check(Libc.open("/dev/null", Libc.O_RDWR | Libc.O_CLOEXEC, 0), "open `/dev/null`");
            var map = new List<(int, int)> { (devNull, 0), (devNull, 1), (devNull, 2), (pipe.Write, 3) };
            if (attach is not null)
                map.Add((attach.MonitorEnd, 4));
            // Spawned once, in its own session: no intermediate process to start and reap (a
            // NativeAOT start-up saved on every run). The caller stays its parent until the caller
            // exits (the CLI, at once); a long-lived caller reaps it like any child.
            IReadOnlyList<string> args = attach is null ? [MonitorPath, dir] : [MonitorPath, dir, "--attach-fd-4"];
            DetachedSpawn.Spawn(MonitorPath, args, map, newSession: true, DetachedSpawn.MonitorSignals);
            Libc.close(pipe.Write);
            pipe.Write = -1;
            attach?.ReleaseMonitorEnd();
            var read = new SafeFileHandle(pipe.Read, ownsHandle: true);
            pipe.Read = -1;
            return read;
        }
        finally
        {
            if (devNull >= 0)
                Libc.close(devNull);
            if (pipe.Write >= 0)
                Libc.close(pipe.Write);
            if (pipe.Read >= 0)
                Libc.close(pipe.Read);
        }
    }

    private static unsafe (int Read, int Write) CreatePipe()
    {
        var fds = stackalloc int[2];
        Errno.Check(Libc.pipe2(fds, Libc.O_CLOEXEC), "create sync pipe");
        return (fds[0], fds[1]);
    }

    private static int Interpret(string id, string dir, byte[] reply)
    {
        MonitorStartReply? message = null;
        try
        {
            if (reply.Length > 0)
                message = JsonSerializer.Deserialize(reply, MonitorJsonContext.Default.MonitorStartReply);
        }
        catch (JsonException)
        {
        }
        if (message is { Pid: > 0 })
            return message.Pid;
        var text = message?.Error ?? "the monitor exited without reporting" + (MonitorState.TryRead(dir, out var s) && s.Error is { } e ? ": " + e : "");
        var exitCode = message is { ExitCode: > 0 } ? message.ExitCode : 125;
        var kind = exitCode switch { 127 => ErrorKind.NotFound, 126 => ErrorKind.PermissionDenied, _ => ErrorKind.Internal };
        var error = new BerthException(kind, $"start container `{id}`: {text}");
        error.Data[ExitCodeKey] = exitCode;
        throw error;
    }

    private static string ResolveExecutable(string name)
    {
        if (name.Contains('/'))
            return Path.GetFullPath(name);
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin").Split(':'))
        {
            var candidate = Path.Combine(dir.Length == 0 ? "." : dir, name);
            if (File.Exists(candidate) && Libc.access(candidate, 1) == 0)
                return candidate;
        }
        throw BerthException.NotFound($"runtime `{name}`: executable file not found in $PATH");
    }
}
