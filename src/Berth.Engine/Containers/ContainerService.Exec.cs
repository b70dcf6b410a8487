using System.Diagnostics;
using OciProcess = Berth.Oci.Runtime.Process;
using System.Text;
using System.Text.Json;
using Berth.Engine.Monitor;
using Berth.Engine.Spec;
using Berth.Errdefs;
using Berth.Oci.Runtime;

namespace Berth.Engine.Containers;

public sealed partial class ContainerService
{
    /// <summary>
    /// docker exec in the foreground or detached: the runtime's <c>exec --process FILE</c> with the
    /// container's own process (env, cwd, user, capabilities, rlimits) as the base, the request laid
    /// over it, and berth's stdio inherited. Returns the process's exit status (0 once started when
    /// detached). A container that is not running is Conflict, as docker's 409. A process that
    /// cannot be started fails with the runtime's message and docker's code (127 not found, 126
    /// cannot invoke, else 126 too: docker reports every exec start failure as 126).
    /// </summary>
    public int Exec(string idOrName, ExecRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Cmd.Count == 0)
            throw BerthException.InvalidArgument("no exec command specified");
        var view = Get(idOrName);
        if (!view.State.Running || view.State.Restarting || view.State.Dead)
            throw BerthException.Conflict($"container {view.Id} is not running");
        if (view.State.Paused)
            throw BerthException.Conflict($"container {view.Id} is paused, unpause the container before exec");
        OciProcess process;
        try
        {
            process = ExecProcess(view, request);
        }
        catch (BerthException e) when (e.Kind == ErrorKind.InvalidArgument && e.Message.StartsWith("unable to find", StringComparison.Ordinal))
        {
            throw StartFailure($"OCI runtime exec failed: exec failed: unable to start container process: {e.Message}: unknown", 126);
        }
        if (FindExecutable(Snapshot.RootfsPath(view.Dir), process) is { } problem)
            throw StartFailure($"OCI runtime exec failed: exec failed: unable to start container process: {problem}: unknown", RuntimeErrors.ExitCodeFor(problem) == 127 ? 127 : 126);
        var processFile = Path.Combine(view.Dir, $"exec-{Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(8))}.json");
        File.WriteAllBytes(processFile, JsonSerializer.SerializeToUtf8Bytes(process, RuntimeJsonContext.Default.Process));
        try
        {
            return RunExec(view.Id, processFile, request);
        }
        finally
        {
            File.Delete(processFile);
        }
    }

    /// <summary>The exec's OCI process: the container's process from its bundle with the request laid over it.</summary>
    public OciProcess ExecProcess(ContainerView view, ExecRequest request)
    {
        ArgumentNullException.ThrowIfNull(view);
        ArgumentNullException.ThrowIfNull(request);
        var specPath = Path.Combine(view.Dir, "bundle", "config.json");
        Oci.Runtime.Spec spec;
        try
        {
            spec = JsonSerializer.Deserialize(File.ReadAllBytes(specPath), RuntimeJsonContext.Default.Spec)
                ?? throw BerthException.Internal($"read `{specPath}`: empty spec");
        }
        catch (Exception e) when (e is IOException or JsonException)
        {
            throw BerthException.Internal($"exec in container {view.Id}: read `{specPath}`: {e.Message}");
        }
        var base_ = spec.Process ?? new OciProcess();
        var env = ExecEnv(base_.Env ?? [], request.Env, request.Tty);
        var user = base_.User;
        if (request.User.Length > 0)
        {
            var resolved = UserResolver.Resolve(request.User, view.Record.HostConfig.GroupAdd, new RootfsUsers(Snapshot.RootfsPath(view.Dir)));
            user = new User { Uid = resolved.Uid, Gid = resolved.Gid, AdditionalGids = resolved.AdditionalGids.Count > 0 ? resolved.AdditionalGids : null };
        }
        var caps = base_.Capabilities;
        if (request.Privileged)
        {
            var all = CapabilitySet.All;
            caps = new LinuxCapabilities { Bounding = all, Effective = all, Permitted = all, Inheritable = caps?.Inheritable, Ambient = caps?.Ambient };
        }
        return base_ with
        {
            Args = request.Cmd,
            CommandLine = null,
            Env = env,
            Cwd = request.WorkingDir.Length > 0 ? request.WorkingDir : base_.Cwd,
            User = user,
            Terminal = request.Tty,
            ConsoleSize = null,
            Capabilities = caps,
        };
    }

    /// <summary>docker's exec environment: the container's, TERM=xterm with a tty, then the request's (same key replaces).</summary>
    public static IReadOnlyList<string> ExecEnv(IReadOnlyList<string> container, IReadOnlyList<string> request, bool tty)
    {
        var env = new List<string>(container);
        if (tty && !env.Exists(e => e.StartsWith("TERM=", StringComparison.Ordinal)))
            env.Add("TERM=xterm");
        foreach (var entry in request)
        {
            var key = entry.Contains('=') ? entry[..entry.IndexOf('=')] : entry;
            var at = env.FindIndex(e => (e.Contains('=') ? e[..e.IndexOf('=')] : e) == key);
            if (at >= 0)
                env[at] = entry;
            else
                env.Add(entry);
        }
        return env;
    }

    private int RunExec(string id, string processFile, ExecRequest request)
    {
        var args = new List<string> { "exec", "--process", processFile };
        if (request.Detach)
            args.Add("--detach");
        args.Add(id);
        ProcessStartInfo start;
        if (request.Detach)
        {
            // A detached exec gets no stdio of ours: docker discards its output.
            start = new ProcessStartInfo("/bin/sh") { UseShellExecute = false };
            foreach (var a in (string[])["-c", "exec \"$@\" </dev/null >/dev/null", "sh", Runtime.RuntimePath, .. Runtime.Arguments(args)])
                start.ArgumentList.Add(a);
            start.RedirectStandardError = true;
        }
        else
        {
            start = new ProcessStartInfo(Runtime.RuntimePath) { UseShellExecute = false };
            foreach (var a in Runtime.Arguments(args))
                start.ArgumentList.Add(a);
            // stdout stays ours; stderr is relayed so a runtime failure can be told from the process's own status.
            start.RedirectStandardInput = !request.AttachStdin;
            start.RedirectStandardError = !request.Tty;
        }
        using var child = System.Diagnostics.Process.Start(start) ?? throw BerthException.Internal($"exec in container {id}: cannot start `{Runtime.RuntimePath}`");
        if (start.RedirectStandardInput)
            child.StandardInput.Close();
        var tail = new StringBuilder();
        if (start.RedirectStandardError)
        {
            var stderr = child.StandardError.BaseStream;
            using var ours = Console.OpenStandardError();
            var buffer = new byte[8192];
            int n;
            while ((n = stderr.Read(buffer)) > 0)
            {
                // The runtime's own start failure is reported once, in docker's words, below.
                if (!request.Detach && ExecStartFailure(Encoding.UTF8.GetString(buffer, 0, n)) is null)
                {
                    ours.Write(buffer, 0, n);
                    ours.Flush();
                }
                tail.Append(Encoding.UTF8.GetString(buffer, 0, n));
                if (tail.Length > 4096)
                    tail.Remove(0, tail.Length - 4096);
            }
        }
        child.WaitForExit();
        var code = child.ExitCode;
        if (code != 0 && ExecStartFailure(tail.ToString()) is { } message)
        {
            var e = BerthException.FailedPrecondition(message);
            e.Data[MonitorLauncher.ExitCodeKey] = RuntimeErrors.ExitCodeFor(message) == 127 ? 127 : 126;
            throw e;
        }
        if (code != 0 && request.Detach)
            throw BerthException.FailedPrecondition($"exec in container {id}: {RuntimeErrors.Clean(tail.ToString())}");
        return code;
    }

    private static BerthException StartFailure(string message, int code)
    {
        var e = BerthException.FailedPrecondition(message);
        e.Data[MonitorLauncher.ExitCodeKey] = code;
        return e;
    }

    /// <summary>
    /// runc's check before it execs: the command looked up on the process's PATH inside the
    /// rootfs (symlinks resolved within it). Null when it can be run, else runc's cause
    /// (<c>exec: "x": executable file not found in $PATH</c>, <c>permission denied</c>, <c>is a directory</c>).
    /// </summary>
    public static string? FindExecutable(string rootfs, OciProcess process)
    {
        ArgumentNullException.ThrowIfNull(process);
        var name = process.Args is { Count: > 0 } args ? args[0] : "";
        if (name.Length == 0)
            return "exec: \"\": executable file not found in $PATH";
        IEnumerable<string> candidates;
        if (name.Contains('/'))
        {
            candidates = [name.StartsWith('/') ? name : Path.Combine(process.Cwd, name)];
        }
        else
        {
            var path = process.Env?.LastOrDefault(e => e.StartsWith("PATH=", StringComparison.Ordinal))?[5..] ?? EnvMerge.DefaultPath;
            candidates = path.Split(':', StringSplitOptions.RemoveEmptyEntries).Select(dir => Path.Combine(dir.StartsWith('/') ? dir : "/" + dir, name));
        }
        string? firstProblem = null;
        foreach (var candidate in candidates)
        {
            var host = RootfsUsers.Resolve(rootfs, candidate);
            if (host is null)
                continue;
            if (Directory.Exists(host))
            {
                firstProblem ??= name.Contains('/') ? $"exec: \"{name}\": is a directory" : null;
                continue;
            }
            if (!File.Exists(host))
                continue;
            if ((File.GetUnixFileMode(host) & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) == 0)
            {
                firstProblem ??= $"exec: \"{name}\": permission denied";
                continue;
            }
            return null;
        }
        if (firstProblem is not null)
            return firstProblem;
        return name.Contains('/') ? $"exec: \"{name}\": stat {name}: no such file or directory" : $"exec: \"{name}\": executable file not found in $PATH";
    }

    /// <summary>docker's message when the runtime could not start the exec'd process; null when the process itself ran.</summary>
    public static string? ExecStartFailure(string runtimeStderr)
    {
        ArgumentNullException.ThrowIfNull(runtimeStderr);
        var lines = runtimeStderr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var line = lines.LastOrDefault(l => l.Contains("exec failed", StringComparison.Ordinal)
            || l.Contains("unable to start container process", StringComparison.Ordinal)
            || l.Contains("executable file not found", StringComparison.Ordinal));
        if (line is null)
            return null;
        var cause = RuntimeErrors.Clean(line);
        var at = cause.IndexOf("exec: \"", StringComparison.Ordinal);
        if (at < 0)
            at = cause.IndexOf("unable to start container process", StringComparison.Ordinal);
        if (at > 0)
            cause = cause[at..];
        if (!cause.StartsWith("unable to start container process", StringComparison.Ordinal))
            cause = "unable to start container process: " + cause;
        return $"OCI runtime exec failed: exec failed: {cause}: unknown";
    }
}
