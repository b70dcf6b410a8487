using Berth.Cgroups;
using Berth.Oci.Runtime;

namespace Berth.Runtime.State;

/// <summary>
/// What berth-runtime keeps on disk for one container (ROOT/ID/state.json). The status is not
/// stored: it is derived each time from the init process (alive or not), the exec fifo
/// (present until `start`) and the freezer, so a crash can never leave it stale. The full
/// config is kept beside it (ROOT/ID/config.json) and read only by the commands that need it
/// (exec): most commands parse just this small record.
/// </summary>
public sealed record ContainerState
{
    public string Id { get; init; } = "";
    public string Bundle { get; init; } = "";
    public string Rootfs { get; init; } = "";
    public int InitPid { get; init; }

    /// <summary>The init's start time in clock ticks; with the pid it tells a reused pid apart.</summary>
    public ulong InitStartTime { get; init; }

    public DateTime Created { get; init; }
    public string Owner { get; init; } = "";
    public CgroupPaths? Cgroup { get; init; }
    public IReadOnlyDictionary<string, string>? Annotations { get; init; }
    public IReadOnlyList<Hook>? Poststart { get; init; }
    public IReadOnlyList<Hook>? Poststop { get; init; }
}
