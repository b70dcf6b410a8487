using Berth.Cgroups;
using Berth.Errdefs;
using Berth.Linux;
using Berth.Oci.Runtime;
using Berth.Runtime.State;

namespace Berth.Runtime.Lifecycle;

/// <summary>
/// The OCI runtime operations (runtime.md) over a state root: create, start, state, kill,
/// delete, and runc's extras (exec, pause, resume, update, ps, stats). Each call is a short
/// transaction on the container's directory; the container's processes never depend on the
/// process that made them.
/// </summary>
public sealed partial class ContainerRuntime(RuntimeOptions options)
{
    private readonly StateStore _store = new(options.Root);

    public RuntimeOptions Options => options;

    /// <summary>The OCI state of one container, its status derived from what runs now.</summary>
    public Oci.Runtime.State GetState(string id)
    {
        var state = _store.Load(id);
        return ToOci(state, StatusOf(state));
    }

    public IReadOnlyList<Oci.Runtime.State> List()
    {
        var result = new List<Oci.Runtime.State>();
        foreach (var id in _store.Ids())
        {
            try
            {
                result.Add(GetState(id));
            }
            catch (BerthException e) when (e.Kind == ErrorKind.NotFound)
            {
                // A create that never finished: nothing to show.
            }
        }
        return result;
    }

    public void Pause(string id)
    {
        var state = _store.Load(id);
        var status = StatusOf(state);
        if (status != ContainerStatus.Running)
            throw BerthException.FailedPrecondition($"container `{id}` is not running: {status}");
        CgroupOf(state).Freeze();
    }

    public void Resume(string id)
    {
        var state = _store.Load(id);
        var status = StatusOf(state);
        if (status != ContainerStatus.Paused)
            throw BerthException.FailedPrecondition($"container `{id}` is not paused: {status}");
        CgroupOf(state).Thaw();
    }

    public void Update(string id, LinuxResources resources)
    {
        var state = _store.Load(id);
        if (StatusOf(state) == ContainerStatus.Stopped)
            throw BerthException.FailedPrecondition($"container `{id}` is stopped");
        CgroupOf(state).Update(resources);
    }

    public IReadOnlyList<int> Pids(string id) => CgroupOf(_store.Load(id)).Pids();

    public CgroupStats Stats(string id)
    {
        var state = _store.Load(id);
        if (StatusOf(state) == ContainerStatus.Stopped)
            throw BerthException.FailedPrecondition($"container `{id}` is stopped");
        return CgroupOf(state).Stats();
    }

    private string StatusOf(ContainerState state)
    {
        if (!ProcFs.IsAlive(state.InitPid, state.InitStartTime))
            return ContainerStatus.Stopped;
        if (File.Exists(Path.Combine(_store.Dir(state.Id), StateStore.ExecFifo)))
            return ContainerStatus.Created;
        if (state.Cgroup is not null)
        {
            try
            {
                if (CgroupOf(state).IsFrozen())
                    return ContainerStatus.Paused;
            }
            catch (BerthException)
            {
                // A cgroup we cannot read does not make the container any less running.
            }
        }
        return ContainerStatus.Running;
    }

    private static ICgroup CgroupOf(ContainerState state) =>
        state.Cgroup is { } paths ? Cgroup.Load(paths) : throw BerthException.FailedPrecondition($"container `{state.Id}` has no cgroup");

    private static Oci.Runtime.State ToOci(ContainerState state, string status) => new()
    {
        Id = state.Id,
        Status = status,
        Pid = status == ContainerStatus.Stopped ? 0 : state.InitPid,
        Bundle = state.Bundle,
        Rootfs = state.Rootfs,
        Created = state.Created,
        Owner = state.Owner,
        Annotations = state.Annotations,
    };
}
