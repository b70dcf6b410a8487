using Berth.Linux.Files;
using Berth.Errdefs;
using Berth.Linux;
using Berth.Linux.Interop;
using Berth.Oci.Runtime;
using Berth.Runtime.Init;
using Berth.Runtime.State;

namespace Berth.Runtime.Lifecycle;

public sealed partial class ContainerRuntime
{
    /// <summary>
    /// Starts another process in a created or running container: it joins the namespaces of
    /// the container's init (read from /proc/PID/ns, so they are the live ones) and its cgroup.
    /// Returns the new process's pid once it is about to exec.
    /// </summary>
    public int Exec(string id, ExecOptions exec)
    {
        var state = _store.Load(id);
        var status = StatusOf(state);
        if (status is not (ContainerStatus.Running or ContainerStatus.Created))
            throw BerthException.FailedPrecondition($"cannot exec in container `{id}`: it is {status}");
        var process = exec.Process;
        if (process.Args is null || process.Args.Count == 0)
            throw BerthException.InvalidArgument($"exec in container `{id}`: no command given");
        var joins = new List<LinuxNamespace>();
        string? pidNs = null;
        var config = _store.LoadConfig(id);
        foreach (var ns in config.Linux?.Namespaces ?? [])
        {
            var path = $"/proc/{state.InitPid}/ns/{NamespaceFlags.ProcName(ns.Type)}";
            if (ns.Type == NamespaceType.Pid)
                pidNs = path;
            else
                joins.Add(new LinuxNamespace { Type = ns.Type, Path = path });
        }
        var (channel, childSync) = SyncChannel.CreatePair();
        using var sync = channel;
        var console = -1;
        int pid, initConsole;
        try
        {
            if (exec.ConsoleSocket is { } socketPath)
                console = ConsoleSocket.Connect(socketPath);
            else if (process.Terminal)
                throw BerthException.InvalidArgument("a terminal was requested but no --console-socket was given");
            (pid, _, initConsole) = InitLauncher.Spawn(new InitLauncher.Launch(options.InitPath, exec.PreserveFds, childSync, -1, console)
            {
                PidNamespace = pidNs is null ? InitLauncher.PidNamespace.Host : InitLauncher.PidNamespace.Join,
                PidNamespacePath = pidNs,
            });
        }
        catch (BerthException e)
        {
            throw e.Wrap($"exec in container `{id}`");
        }
        finally
        {
            Libc.close(childSync);
            if (console >= 0)
                Libc.close(console);
        }
        try
        {
            sync.Send(new SyncMessage
            {
                Type = SyncType.Request,
                Request = new InitRequest
                {
                    Mode = InitMode.Exec,
                    Id = id,
                    Bundle = state.Bundle,
                    Rootfs = state.Rootfs,
                    Spec = config,
                    Process = process,
                    Join = joins,
                    PreserveFds = exec.PreserveFds,
                    ConsoleSocketFd = initConsole,
                },
            });
            if (state.Cgroup is not null)
                CgroupOf(state).AddProcess(pid);
            sync.Send(new SyncMessage { Type = SyncType.Joined });
            AwaitReady(sync, pid, hooks: null);
        }
        catch (Exception e)
        {
            Libc.kill(pid, Signals.SIGKILL);
            Children.Wait(pid);
            throw BerthException.Wrap(e, $"exec in container `{id}`");
        }
        if (exec.PidFile is { } pidFile)
            AtomicFile.WriteText(Path.GetFullPath(pidFile), pid.ToString(System.Globalization.CultureInfo.InvariantCulture), durable: false);
        return pid;
    }

    /// <summary>
    /// The process the `exec` command line describes: the container's own process as the base
    /// (environment, user, capabilities, limits), with the given args and overrides, as runc does.
    /// </summary>
    public Process ExecProcessFor(string id, IReadOnlyList<string> args, IReadOnlyList<string> env, string? cwd, User? user, bool terminal, IReadOnlyList<string> addCaps, bool noNewPrivileges)
    {
        var baseProcess = _store.LoadConfig(id).Process ?? new Process();
        var caps = baseProcess.Capabilities;
        if (caps is not null && addCaps.Count > 0)
        {
            caps = caps with
            {
                Bounding = [.. caps.Bounding ?? [], .. addCaps],
                Effective = [.. caps.Effective ?? [], .. addCaps],
                Permitted = [.. caps.Permitted ?? [], .. addCaps],
            };
        }
        return baseProcess with
        {
            Args = args,
            Env = MergeEnv(baseProcess.Env ?? [], env),
            Cwd = cwd ?? baseProcess.Cwd,
            User = user ?? baseProcess.User,
            Terminal = terminal,
            ConsoleSize = null,
            Capabilities = caps,
            NoNewPrivileges = baseProcess.NoNewPrivileges || noNewPrivileges,
        };
    }

    /// <summary>Overrides variables by name, keeping the order of first appearance.</summary>
    internal static IReadOnlyList<string> MergeEnv(IReadOnlyList<string> first, IReadOnlyList<string> second)
    {
        var result = new List<string>(first);
        foreach (var entry in second)
        {
            var key = entry.Split('=', 2)[0] + "=";
            var index = result.FindIndex(e => e.StartsWith(key, StringComparison.Ordinal) || e == key[..^1]);
            if (index >= 0)
                result[index] = entry;
            else
                result.Add(entry);
        }
        return result;
    }
}
