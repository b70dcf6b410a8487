using Berth.Linux.Files;
using Berth.Cgroups;
using Berth.Errdefs;
using Berth.Linux;
using Berth.Linux.Interop;
using Berth.Oci.Runtime;
using Berth.Runtime.Hooks;
using Berth.Runtime.Init;
using Berth.Runtime.State;
using Berth.Seccomp;

namespace Berth.Runtime.Lifecycle;

public sealed partial class ContainerRuntime
{
    /// <summary>
    /// Creates a container from a bundle: it ends with the init waiting in the container's
    /// namespaces and cgroup for `start`. On any failure the init is killed, the cgroup and the
    /// state directory are removed, and nothing of the container remains.
    /// </summary>
    public int Create(string id, CreateOptions create)
    {
        Timing.Mark("create: begin");
        StateStore.ValidateId(id);
        // Start the kernel's cgroup-migration grace period now; the init's move reuses it.
        Cgroup.Prime();
        var bundle = Path.GetFullPath(create.Bundle);
        Spec spec;
        string rootfs;
        try
        {
            spec = SpecLoader.Load(bundle);
            Timing.Mark("create: spec parsed");
            rootfs = RootfsPath(bundle, spec);
            CheckSupported(spec);
        }
        catch (BerthException e)
        {
            throw e.Wrap($"create container `{id}`");
        }
        Timing.Mark("create: spec loaded");
        var dir = _store.Reserve(id);
        ICgroup? cgroup = null;
        var pid = 0;
        try
        {
            var fifo = Path.Combine(dir, StateStore.ExecFifo);
            if (Libc.mkfifo(fifo, 0x180) != 0)
                throw Errno.Last($"create exec fifo `{fifo}`");
            cgroup = Cgroup.Open(spec.Linux?.CgroupsPath, id);
            pid = StartInit(id, bundle, rootfs, spec, create, dir, cgroup);
            _store.SaveConfig(id, spec);
            Timing.Mark("create: config saved");
            Timing.Mark("create: init ready");
            _store.Save(new ContainerState
            {
                Id = id,
                Bundle = bundle,
                Rootfs = rootfs,
                InitPid = pid,
                InitStartTime = ProcFs.TryReadStat(pid, out _, out var start) ? start : 0,
                Created = DateTime.UtcNow,
                Owner = "root",
                Cgroup = cgroup.Paths,
                Annotations = spec.Annotations,
                Poststart = spec.Hooks?.Poststart,
                Poststop = spec.Hooks?.Poststop,
            });
            Timing.Mark("create: state saved");
            if (create.PidFile is { } pidFile)
                AtomicFile.WriteText(Path.GetFullPath(pidFile), pid.ToString(System.Globalization.CultureInfo.InvariantCulture), durable: false);
            return pid;
        }
        catch (Exception e)
        {
            if (pid > 0)
            {
                Libc.kill(pid, Signals.SIGKILL);
                Children.Wait(pid);
            }
            TryDestroy(cgroup);
            _store.Remove(id);
            throw BerthException.Wrap(e, $"create container `{id}`");
        }
    }

    private int StartInit(string id, string bundle, string rootfs, Spec spec, CreateOptions create, string dir, ICgroup cgroup)
    {
        Timing.Mark("create: start init");
        var (channel, childSync) = SyncChannel.CreatePair();
        using var sync = channel;
        var stateDir = Libc.open(dir, Libc.O_PATH | Libc.O_DIRECTORY | Libc.O_CLOEXEC, 0);
        var console = -1;
        int pid, initStateDir, initConsole;
        try
        {
            if (stateDir < 0)
                throw Errno.Last($"open `{dir}`");
            if (create.ConsoleSocket is { } socketPath)
                console = ConsoleSocket.Connect(socketPath);
            else if (spec.Process?.Terminal == true)
                throw BerthException.InvalidArgument("a terminal was requested (process.terminal) but no --console-socket was given");
            var pidNs = spec.Linux?.Namespaces?.FirstOrDefault(n => n.Type == NamespaceType.Pid);
            (pid, initStateDir, initConsole) = InitLauncher.Spawn(new InitLauncher.Launch(options.InitPath, create.PreserveFds, childSync, stateDir, console)
            {
                PidNamespace = pidNs is null ? InitLauncher.PidNamespace.Host
                    : string.IsNullOrEmpty(pidNs.Path) ? InitLauncher.PidNamespace.New : InitLauncher.PidNamespace.Join,
                PidNamespacePath = pidNs?.Path,
            });
        }
        finally
        {
            Libc.close(childSync);
            if (stateDir >= 0)
                Libc.close(stateDir);
            if (console >= 0)
                Libc.close(console);
        }
        Timing.Mark("create: init spawned");
        try
        {
            sync.Send(new SyncMessage
            {
                Type = SyncType.Request,
                Request = new InitRequest
                {
                    Mode = InitMode.Create,
                    Id = id,
                    Bundle = bundle,
                    Rootfs = rootfs,
                    Spec = spec,
                    NoPivot = create.NoPivot,
                    PreserveFds = create.PreserveFds,
                    StateDirFd = initStateDir,
                    ConsoleSocketFd = initConsole,
                },
            });
            // The init starts up (a few ms) while the cgroup is made.
            cgroup.Create(WithDefaultDevices(spec));
            Timing.Mark("create: cgroup made");
            cgroup.AddProcess(pid);
            Timing.Mark("create: init in cgroup");
            sync.Send(new SyncMessage { Type = SyncType.Joined });
            AwaitReady(sync, pid, () =>
            {
                // "created", as crun reports (runc says "creating"): the runtime-tools suite
                // (hooks_stdin) requires it, and the environment is complete at this point.
                var state = new Oci.Runtime.State { Id = id, Status = ContainerStatus.Created, Pid = pid, Bundle = bundle, Annotations = spec.Annotations };
                HookRunner.Run(spec.Hooks?.Prestart, "prestart", state);
                HookRunner.Run(spec.Hooks?.CreateRuntime, "createRuntime", state);
            });
        }
        catch
        {
            Libc.kill(pid, Signals.SIGKILL);
            Children.Wait(pid);
            throw;
        }
        return pid;
    }

    /// <summary>Serves the init's requests until it reports ready; throws its error otherwise.</summary>
    private static void AwaitReady(SyncChannel sync, int pid, Action? hooks)
    {
        while (true)
        {
            var message = sync.Receive();
            switch (message?.Type)
            {
                case SyncType.Hooks:
                    hooks?.Invoke();
                    sync.Send(new SyncMessage { Type = SyncType.Continue });
                    break;
                case SyncType.Ready:
                    return;
                case SyncType.Error:
                    throw new BerthException(ErrorKind.FailedPrecondition, message.Message ?? "unknown error");
                case null:
                    var code = Children.Wait(pid, TimeSpan.FromSeconds(5));
                    throw BerthException.Internal($"container init exited before it was ready (status {code?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "unknown"})");
                default:
                    throw BerthException.Internal($"unexpected message `{message.Type}` from the container init");
            }
        }
    }

    private static string RootfsPath(string bundle, Spec spec)
    {
        var path = spec.Root!.Path;
        var rootfs = Path.GetFullPath(path.StartsWith('/') ? path : Path.Combine(bundle, path));
        if (!Directory.Exists(rootfs))
            throw BerthException.NotFound($"rootfs `{rootfs}` does not exist");
        return rootfs;
    }

    /// <summary>Rejects what Berth cannot do before anything is made.</summary>
    private static void CheckSupported(Spec spec)
    {
        if (spec.Process is null)
            throw BerthException.InvalidArgument("process is missing from the config");
        foreach (var ns in spec.Linux?.Namespaces ?? [])
        {
            if (ns.Type is NamespaceType.User or NamespaceType.Time)
                throw new BerthException(ErrorKind.NotImplemented, $"{ns.Type} namespaces are not supported yet");
            if (!string.IsNullOrEmpty(ns.Path) && !File.Exists(ns.Path))
                throw BerthException.NotFound($"namespace path `{ns.Path}` does not exist");
        }
        if (spec.Linux?.Seccomp is { } seccomp)
            SeccompCompiler.Compile(seccomp);
        var lastCap = Capabilities.LastCap();
        var caps = spec.Process.Capabilities;
        foreach (var set in new[] { caps?.Bounding, caps?.Effective, caps?.Permitted, caps?.Inheritable, caps?.Ambient })
            Capabilities.Mask(set, lastCap);
        foreach (var limit in spec.Process.Rlimits ?? [])
            Rlimits.Resource(limit.Type);
    }

    /// <summary>runc's default device rules, added after the config's own so containers keep working devices.</summary>
    private static LinuxResources? WithDefaultDevices(Spec spec)
    {
        var resources = spec.Linux?.Resources;
        if (resources is null)
            return null;
        var rules = new List<LinuxDeviceCgroup>(resources.Devices ?? []);
        static LinuxDeviceCgroup Allow(string type, long? major, long? minor, string access) =>
            new() { Allow = true, Type = type, Major = major, Minor = minor, Access = access };
        rules.Add(Allow("c", null, null, "m"));
        rules.Add(Allow("b", null, null, "m"));
        foreach (var (major, minor) in new (long, long)[] { (1, 3), (1, 5), (1, 7), (1, 8), (1, 9), (5, 0), (5, 1), (5, 2), (10, 200) })
            rules.Add(Allow("c", major, minor, "rwm"));
        rules.Add(Allow("c", 136, null, "rwm"));
        // A FIFO (`p`) is no device to the cgroup controller, which only knows `b` and `c`.
        foreach (var device in (spec.Linux?.Devices ?? []).Where(d => d.Type != "p"))
            rules.Add(Allow(device.Type == "u" ? "c" : device.Type, device.Major, device.Minor, "rwm"));
        return resources with { Devices = rules };
    }

    private void TryDestroy(ICgroup? cgroup)
    {
        if (cgroup is null)
            return;
        try
        {
            foreach (var pid in cgroup.Pids())
                Libc.kill(pid, Signals.SIGKILL);
            Timing.Mark("destroy: pids killed");
            cgroup.Destroy();
        }
        catch (BerthException e)
        {
            options.Warnings.WriteLine($"warning: remove cgroup: {e.Message}");
        }
    }
}
