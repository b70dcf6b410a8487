using Berth.Errdefs;
using Berth.Linux;
using Berth.Linux.Interop;
using Berth.Oci.Runtime;
using Berth.Runtime.Hooks;
using Berth.Runtime.State;

namespace Berth.Runtime.Lifecycle;

public sealed partial class ContainerRuntime
{
    /// <summary>Sends a signal to the container's init, or with <paramref name="all"/> to every process in its cgroup.</summary>
    public void Kill(string id, int signal, bool all)
    {
        var state = _store.Load(id);
        var status = StatusOf(state);
        if (status == ContainerStatus.Stopped && !all)
            throw BerthException.FailedPrecondition($"container `{id}` is not running");
        if (all)
        {
            SignalAll(state, signal);
            return;
        }
        if (Libc.kill(state.InitPid, signal) != 0)
            throw Errno.Last($"signal container `{id}`");
    }

    /// <summary>
    /// Removes a container. A stopped one goes at once; a created one has its waiting init
    /// killed; a running or paused one needs <paramref name="force"/>, which kills everything
    /// in its cgroup first. Poststop hooks run last. With force a missing container is fine.
    /// </summary>
    public void Delete(string id, bool force)
    {
        StateStore.ValidateId(id);
        if (!_store.Exists(id))
        {
            if (force)
                return;
            throw BerthException.NotFound($"container `{id}` does not exist");
        }
        ContainerState state;
        try
        {
            state = _store.Load(id);
        }
        catch (BerthException e) when (e.Kind == ErrorKind.NotFound)
        {
            // A create that died before writing its state: only the directory is left.
            _store.Remove(id);
            return;
        }
        Timing.Mark("delete: loaded");
        using (_store.Lock(id))
        {
            var status = StatusOf(state);
            Timing.Mark("delete: status");
            if (status is ContainerStatus.Running or ContainerStatus.Paused && !force)
                throw BerthException.FailedPrecondition($"cannot delete container `{id}` that is not stopped: {status}");
            if (status != ContainerStatus.Stopped)
            {
                SignalAll(state, Signals.SIGKILL);
                Libc.kill(state.InitPid, Signals.SIGKILL);
                WaitGone(state, TimeSpan.FromSeconds(10));
            }
            Timing.Mark("delete: stopped");
            if (state.Cgroup is not null)
                TryDestroy(CgroupOf(state));
            Timing.Mark("delete: cgroup removed");
            _store.Remove(id);
            Timing.Mark("delete: state removed");
        }
        HookRunner.RunAndWarn(state.Poststop, "poststop", ToOci(state, ContainerStatus.Stopped), options.Warnings);
    }

    private static void SignalAll(ContainerState state, int signal)
    {
        if (state.Cgroup is null)
            return;
        var cgroup = CgroupOf(state);
        var frozen = cgroup.IsFrozen();
        foreach (var pid in cgroup.Pids())
            Libc.kill(pid, signal);
        // A frozen task only acts on SIGKILL once it is thawed.
        if (frozen && signal == Signals.SIGKILL)
            cgroup.Thaw();
    }

    private static void WaitGone(ContainerState state, TimeSpan timeout)
    {
        var deadline = Environment.TickCount64 + (long)timeout.TotalMilliseconds;
        while (ProcFs.IsAlive(state.InitPid, state.InitStartTime))
        {
            if (Environment.TickCount64 > deadline)
                throw BerthException.Internal($"container `{state.Id}` init {state.InitPid} did not die");
            // Our own child (run, exec) must be reaped for its pid to go.
            try
            {
                Children.TryWait(state.InitPid);
            }
            catch (BerthException)
            {
                // Not our child: whoever is its parent reaps it.
            }
            Thread.Sleep(2);
        }
    }
}
