using System.Globalization;
using System.Text;
using Berth.Engine.Monitor;
using Berth.Errdefs;
using Berth.Linux;
using Berth.Linux.Interop;

namespace Berth.Monitor;

internal sealed unsafe partial class Supervisor
{
    // The container's stdio as the monitor holds it: write end of stdin, read ends of stdout and
    // stderr, or the pty master for all three.
    private int stdinFd = -1;
    private int stdoutFd = -1;
    private int stderrFd = -1;
    private int ptyFd = -1;
    private OomWatch? oomWatch;

    /// <summary>
    /// runtime run --detach (create and start in one runtime process: one start-up fewer than
    /// create, then start); on failure the message and docker's exit code for it. Output the
    /// process writes before the loop polls waits in its pipe or pty.
    /// </summary>
    private bool TryStart(out string error, out int exitCode)
    {
        error = "";
        exitCode = 0;
        File.Delete(MonitorPaths.PidFile(dir));
        var devNull = Errno.Check(Libc.open("/dev/null", Libc.O_RDWR | Libc.O_CLOEXEC, 0), "open /dev/null");
        var (errRead, errWrite) = Pipe();
        int consoleListener = -1;
        int childIn, childOut, childErr;
        var toClose = new List<int> { devNull, errWrite };
        var args = new List<string> { "run", "--detach", "--bundle", config.BundlePath, "--pid-file", MonitorPaths.PidFile(dir) };
        try
        {
            if (config.Tty)
            {
                var socketPath = MonitorPaths.ConsoleSocket(dir);
                consoleListener = UnixSockets.Listen(socketPath, Libc.SOCK_STREAM, 1);
                args.Add("--console-socket");
                args.Add(Encoding.UTF8.GetByteCount(socketPath) <= 100 ? socketPath : $"/proc/{Libc.getpid()}/fd/{OpenDirFd()}/console.sock");
                (childIn, childOut, childErr) = (devNull, errWrite, errWrite);
            }
            else
            {
                var (outRead, outWrite) = Pipe();
                var (errPipeRead, errPipeWrite) = Pipe();
                stdoutFd = outRead;
                stderrFd = errPipeRead;
                toClose.Add(outWrite);
                toClose.Add(errPipeWrite);
                childIn = devNull;
                if (config.OpenStdin)
                {
                    var (inRead, inWrite) = Pipe(nonBlockingRead: false);
                    stdinFd = inWrite;
                    SetNonBlocking(inWrite);
                    toClose.Add(inRead);
                    childIn = inRead;
                }
                (childOut, childErr) = (outWrite, errPipeWrite);
            }
            args.Add(config.Id);
            var code = RunRuntime(args, [(childIn, 0), (childOut, 1), (childErr, 2)], toClose, out _);
            if (code != 0)
                return Failed(Collect(errRead, stderrFd, stdoutFd), "create", out error, out exitCode);
            if (config.Tty && !ReceiveConsole(consoleListener, out error))
            {
                RunRuntime("delete", ["--force", config.Id], out _);
                exitCode = 125;
                return false;
            }
            var pid = int.Parse(File.ReadAllText(MonitorPaths.PidFile(dir)).Trim(), CultureInfo.InvariantCulture);
            oomWatch = OomWatch.For(pid);
            startedTicks = Environment.TickCount64;
            state = state with { Status = MonitorStatus.Running, Pid = pid, StartedAt = DateTimeOffset.UtcNow, Error = null, OOMKilled = false };
            state.Write(dir);
            return true;
        }
        catch (Exception e)
        {
            error = e.Message;
            exitCode = 125;
            RunRuntime("delete", ["--force", config.Id], out _);
            return false;
        }
        finally
        {
            foreach (var fd in toClose)
                Libc.close(fd);
            Libc.close(errRead);
            if (consoleListener >= 0)
            {
                Libc.close(consoleListener);
                File.Delete(MonitorPaths.ConsoleSocket(dir));
            }
            if (state.Status != MonitorStatus.Running || state.Pid == 0)
                CloseContainerFds();
        }
    }

    private bool Failed(string message, string verb, out string error, out int exitCode)
    {
        if (message.Length == 0)
            message = $"runtime {verb} failed";
        error = message;
        exitCode = RuntimeErrors.ExitCodeFor(message);
        return false;
    }

    private bool ReceiveConsole(int listener, out string error)
    {
        error = "";
        var connection = Libc.accept4(listener, null, null, Libc.SOCK_CLOEXEC);
        if (connection < 0)
        {
            error = "the runtime sent no console (pty master)";
            return false;
        }
        try
        {
            ptyFd = FdPassing.Receive(connection).Fd;
            SetNonBlocking(ptyFd);
            return true;
        }
        catch (BerthException e)
        {
            error = e.Message;
            return false;
        }
        finally
        {
            Libc.close(connection);
        }
    }

    private int OpenDirFd() => Errno.Check(Libc.open(dir, Libc.O_PATH | Libc.O_DIRECTORY | Libc.O_CLOEXEC, 0), $"open `{dir}`");

    /// <summary>Runs the runtime with stdio on /dev/null; returns its exit code.</summary>
    private int RunRuntime(string verb, IReadOnlyList<string> verbArgs, out string stderr)
    {
        stderr = "";
        try
        {
            var devNull = Errno.Check(Libc.open("/dev/null", Libc.O_RDWR | Libc.O_CLOEXEC, 0), "open /dev/null");
            var (read, write) = Pipe();
            var code = RunRuntime([verb, .. verbArgs], [(devNull, 0), (devNull, 1), (write, 2)], [devNull, write], out _);
            stderr = Collect(read, -1, -1);
            Libc.close(read);
            return code;
        }
        catch (BerthException e)
        {
            stderr = e.Message;
            return -1;
        }
    }

    /// <summary>Spawns the runtime and waits; closes <paramref name="closeAfterSpawn"/> in the monitor once the child has them.</summary>
    private int RunRuntime(IReadOnlyList<string> verbArgs, IReadOnlyList<(int, int)> stdio, List<int> closeAfterSpawn, out int pid)
    {
        var argv = new List<string> { config.RuntimePath };
        if (config.RuntimeRoot is { } root)
        {
            argv.Add("--root");
            argv.Add(root);
        }
        argv.AddRange(config.RuntimeArgs);
        argv.AddRange(verbArgs);
        try
        {
            pid = Spawner.Spawn(new SpawnRequest(config.RuntimePath, argv, Environ()) { FdMap = stdio });
        }
        finally
        {
            foreach (var fd in closeAfterSpawn)
                Libc.close(fd);
            closeAfterSpawn.Clear();
        }
        return Children.Wait(pid);
    }

    /// <summary>What the runtime wrote to the given (non-blocking) pipes, cleaned into one message.</summary>
    private static string Collect(int first, int second, int third)
    {
        var text = new StringBuilder();
        var buffer = stackalloc byte[4096];
        foreach (var fd in (ReadOnlySpan<int>)[first, second, third])
        {
            if (fd < 0)
                continue;
            nint n;
            while ((n = Libc.read(fd, buffer, 4096)) > 0)
                text.Append(Encoding.UTF8.GetString(buffer, (int)n));
        }
        return RuntimeErrors.Clean(text.ToString());
    }

    /// <summary>A pipe; the monitor's read end non-blocking (O_NONBLOCK belongs to the open file, so never on an end the container gets).</summary>
    private static (int Read, int Write) Pipe(bool nonBlockingRead = true)
    {
        var fds = stackalloc int[2];
        Errno.Check(Libc.pipe2(fds, Libc.O_CLOEXEC), "pipe");
        if (nonBlockingRead)
            SetNonBlocking(fds[0]);
        return (fds[0], fds[1]);
    }

    private static void SetNonBlocking(int fd)
    {
        const int F_GETFL = 3, F_SETFL = 4;
        Libc.fcntl(fd, F_SETFL, Libc.fcntl(fd, F_GETFL, 0) | Libc.O_NONBLOCK);
    }

    private static List<string> Environ()
    {
        var env = new List<string>();
        foreach (System.Collections.DictionaryEntry e in Environment.GetEnvironmentVariables())
            env.Add($"{e.Key}={e.Value}");
        return env;
    }


    private void CloseContainerFds()
    {
        foreach (var fd in (ReadOnlySpan<int>)[stdinFd, stdoutFd, stderrFd, ptyFd])
        {
            if (fd >= 0)
                Libc.close(fd);
        }
        (stdinFd, stdoutFd, stderrFd, ptyFd) = (-1, -1, -1, -1);
        stdinPendingLength = 0;
        ptyEof = false;
        closeStdinWhenFlushed = false;
    }
}
