using System.Globalization;
using Berth.Errdefs;
using Berth.Linux;
using Berth.Linux.Interop;
using Berth.Oci.Runtime;
using Berth.Runtime.Hooks;
using Berth.Seccomp;

namespace Berth.Runtime.Init;

/// <summary>
/// The container side of create and exec: the process berth-runtime spawns as
/// `berth-runtime init`, already in the container's pid namespace and cgroup. It receives an
/// <see cref="InitRequest"/>, sets up namespaces, filesystem, console, limits and identity on
/// its main thread, and finally execve()s the container's process in place, so the pid the
/// runtime reported is the container's. Everything here acts on the calling thread (unshare,
/// setns, capset, seccomp) and that thread is the one that execs.
/// </summary>
public static partial class InitProcess
{
    /// <summary>The environment variable that names the init's end of the sync socket.</summary>
    public const string SyncFdVariable = "_BERTH_INIT_SYNC";

    public static int Run()
    {
        var text = Environment.GetEnvironmentVariable(SyncFdVariable);
        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var fd))
        {
            Console.Error.WriteLine("berth-runtime init: not started by berth-runtime");
            return 1;
        }
        Lifecycle.Timing.Mark("init: main");
        using var sync = new SyncChannel(fd);
        InitRequest request;
        try
        {
            request = sync.Receive()?.Request ?? throw BerthException.Internal("no request from the runtime");
        }
        catch (Exception e)
        {
            Console.Error.WriteLine($"berth-runtime init: {e.Message}");
            return 1;
        }
        var phase = "setup";
        try
        {
            if (request.Mode == InitMode.Exec)
                RunExec(request, sync, ref phase);
            else
                RunCreate(request, sync, ref phase);
        }
        catch (Exception e)
        {
            var message = e is BerthException ? e.Message : $"{e.GetType().Name}: {e.Message}";
            if (phase == "setup")
            {
                try
                {
                    sync.Send(new SyncMessage { Type = SyncType.Error, Message = message });
                }
                catch (BerthException)
                {
                    // The runtime is gone; stderr is all that is left.
                    Console.Error.WriteLine($"berth-runtime init: {message}");
                }
            }
            else
            {
                WriteStderr($"berth-runtime: {message}\n");
            }
        }
        return 127;
    }

    private static void RunCreate(InitRequest request, SyncChannel sync, ref string phase)
    {
        var spec = request.Spec;
        var process = spec.Process ?? throw BerthException.InvalidArgument("the config has no process");
        Lifecycle.Timing.Mark("init: request");
        JoinAndUnshare(spec.Linux?.Namespaces ?? []);
        Lifecycle.Timing.Mark("init: unshared");
        var rootfs = new Rootfs(spec, request.Rootfs, request.Bundle);
        rootfs.Prepare();
        AwaitJoined(sync);
        EnterCgroupNamespace(spec.Linux?.Namespaces ?? []);
        rootfs.MountCgroups();
        Lifecycle.Timing.Mark("init: mounted");
        sync.Send(new SyncMessage { Type = SyncType.Hooks });
        var reply = sync.Receive();
        if (reply?.Type != SyncType.Continue)
            throw BerthException.Internal("the runtime did not let the container continue");
        var state = StateFor(request, ContainerStatus.Created);
        HookRunner.Run(spec.Hooks?.CreateContainer, "createContainer", state);
        rootfs.SwitchRoot(request.NoPivot);
        if (process.Terminal)
            Terminal.Setup(request.ConsoleSocketFd, process.ConsoleSize);
        SetHostnames(spec);
        WriteSysctls(spec.Linux?.Sysctl);
        rootfs.Finish();
        ApplyProcessLimits(process);
        Lifecycle.Timing.Mark("init: rootfs finished");
        var executable = Executable.Find(process);
        var filter = spec.Linux?.Seccomp is { } seccomp ? SeccompCompiler.Compile(seccomp) : null;
        sync.Send(new SyncMessage { Type = SyncType.Ready });
        phase = "start";
        WaitForStart(request.StateDirFd);
        HookRunner.Run(spec.Hooks?.StartContainer, "startContainer", state with { Status = ContainerStatus.Running });
        // Before the seccomp filter, which may deny close_range (Docker's default profile does).
        Exec.MarkCloseOnExec(3 + request.PreserveFds);
        Identity.Apply(process, filter);
        Exec.Replace(executable, process.Args!, process.Env ?? [], null);
    }

    private static void RunExec(InitRequest request, SyncChannel sync, ref string phase)
    {
        var process = request.Process ?? throw BerthException.InvalidArgument("no process to execute");
        // Join every namespace but the mount namespace first: joining it changes our root.
        var joins = request.Join ?? [];
        foreach (var ns in joins.Where(n => n.Type != NamespaceType.Mount))
            Berth.Linux.Namespaces.Join(ns.Path!, NamespaceFlags.Of(ns.Type));
        foreach (var ns in joins.Where(n => n.Type == NamespaceType.Mount))
            Berth.Linux.Namespaces.Join(ns.Path!, NamespaceFlags.Of(ns.Type));
        // A container without a mount namespace is a chroot in the host's mounts: so is its exec.
        if (!joins.Any(n => n.Type == NamespaceType.Mount))
        {
            if (Libc.chroot(request.Rootfs) != 0 || Libc.chdir("/") != 0)
                throw Errno.Last($"chroot `{request.Rootfs}`");
        }
        if (process.Terminal)
            Terminal.Setup(request.ConsoleSocketFd, process.ConsoleSize);
        ApplyProcessLimits(process);
        var executable = Executable.Find(process);
        AwaitJoined(sync);
        var filter = request.Spec.Linux?.Seccomp is { } seccomp ? SeccompCompiler.Compile(seccomp) : null;
        sync.Send(new SyncMessage { Type = SyncType.Ready });
        phase = "start";
        Exec.MarkCloseOnExec(3 + request.PreserveFds);
        Identity.Apply(process, filter);
        Exec.Replace(executable, process.Args!, process.Env ?? [], null);
    }

    /// <summary>
    /// Writes straight to fd 2: after the identity switch Console's first use would start a
    /// thread, which the container's seccomp filter or pids limit may forbid.
    /// </summary>
    private static unsafe void WriteStderr(string text)
    {
        var bytes = System.Text.Encoding.UTF8.GetBytes(text);
        fixed (byte* p = bytes)
            Libc.write(2, p, (nuint)bytes.Length);
    }

    /// <summary>Waits until the runtime has moved us into the container's cgroup.</summary>
    private static void AwaitJoined(SyncChannel sync)
    {
        if (sync.Receive()?.Type != SyncType.Joined)
            throw BerthException.Internal("the runtime did not move the init into its cgroup");
    }

    /// <summary>The cgroup namespace is made once we sit in our cgroup, so that it becomes its root.</summary>
    private static void EnterCgroupNamespace(IReadOnlyList<LinuxNamespace> namespaces)
    {
        var ns = namespaces.FirstOrDefault(n => n.Type == NamespaceType.Cgroup);
        if (ns is null)
            return;
        if (string.IsNullOrEmpty(ns.Path))
            Berth.Linux.Namespaces.Unshare(NamespaceFlags.CLONE_NEWCGROUP);
        else
            Berth.Linux.Namespaces.Join(ns.Path, NamespaceFlags.CLONE_NEWCGROUP);
    }

    private static void JoinAndUnshare(IReadOnlyList<LinuxNamespace> namespaces)
    {
        var flags = 0;
        foreach (var ns in namespaces)
        {
            if (ns.Type is NamespaceType.Pid or NamespaceType.Cgroup)
                continue;
            if (ns.Type is NamespaceType.User or NamespaceType.Time)
                throw new BerthException(ErrorKind.NotImplemented, $"{ns.Type} namespaces are not supported yet");
            if (string.IsNullOrEmpty(ns.Path))
                flags |= NamespaceFlags.Of(ns.Type);
            else
                Berth.Linux.Namespaces.Join(ns.Path, NamespaceFlags.Of(ns.Type));
        }
        if (flags != 0)
            Berth.Linux.Namespaces.Unshare(flags);
    }

    private static Oci.Runtime.State StateFor(InitRequest request, string status) => new()
    {
        Id = request.Id,
        Status = status,
        Pid = Environment.ProcessId,
        Bundle = request.Bundle,
        Annotations = request.Spec.Annotations,
    };

    private static unsafe void SetHostnames(Spec spec)
    {
        // A UTS namespace joined by path counts too (runc and crun set the name in it).
        var hasUts = (spec.Linux?.Namespaces ?? []).Any(n => n.Type == NamespaceType.Uts);
        if (!string.IsNullOrEmpty(spec.Hostname))
        {
            if (!hasUts)
                throw BerthException.InvalidArgument("cannot set the hostname without a private UTS namespace");
            var bytes = System.Text.Encoding.UTF8.GetBytes(spec.Hostname);
            fixed (byte* p = bytes)
            {
                if (Libc.sethostname(p, (nuint)bytes.Length) != 0)
                    throw Errno.Last($"set hostname `{spec.Hostname}`");
            }
        }
        if (!string.IsNullOrEmpty(spec.Domainname))
        {
            if (!hasUts)
                throw BerthException.InvalidArgument("cannot set the domainname without a private UTS namespace");
            var bytes = System.Text.Encoding.UTF8.GetBytes(spec.Domainname);
            fixed (byte* p = bytes)
            {
                if (Libc.setdomainname(p, (nuint)bytes.Length) != 0)
                    throw Errno.Last($"set domainname `{spec.Domainname}`");
            }
        }
    }

    private static void WriteSysctls(IReadOnlyDictionary<string, string>? sysctls)
    {
        foreach (var (key, value) in sysctls ?? new Dictionary<string, string>())
        {
            if (key.Contains("..", StringComparison.Ordinal) || key.Contains('\0'))
                throw BerthException.InvalidArgument($"sysctl `{key}` is invalid");
            var path = "/proc/sys/" + key.Replace('.', '/');
            try
            {
                File.WriteAllText(path, value);
            }
            catch (Exception e)
            {
                throw BerthException.Wrap(e, $"write sysctl `{key}`");
            }
        }
    }

    private static void ApplyProcessLimits(Process process)
    {
        if (process.OomScoreAdj is { } adj)
        {
            try
            {
                File.WriteAllText("/proc/self/oom_score_adj", adj.ToString(CultureInfo.InvariantCulture));
            }
            catch (Exception e)
            {
                throw BerthException.Wrap(e, "set oom_score_adj");
            }
        }
        foreach (var limit in process.Rlimits ?? [])
            Rlimits.Set(0, limit.Type, limit.Soft, limit.Hard);
    }

    /// <summary>Blocks until `start` opens the exec fifo for reading, then tells it we go.</summary>
    private static unsafe void WaitForStart(int stateDirFd)
    {
        var fifo = Libc.openat(stateDirFd, State.StateStore.ExecFifo, Libc.O_WRONLY | Libc.O_CLOEXEC, 0);
        if (fifo < 0)
            throw Errno.Last("open the exec fifo");
        byte zero = (byte)'0';
        if (Libc.write(fifo, &zero, 1) != 1)
            throw Errno.Last("write the exec fifo");
        Libc.close(stateDirFd);
        // The fifo stays open until execve closes it (close-on-exec): `start` reads EOF then.
    }
}
