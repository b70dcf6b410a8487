using Berth.Oci.Runtime;

namespace Berth.Cgroups;

/// <summary>
/// One container's control group, on cgroup v1 (a directory per controller hierarchy) or v2
/// (one directory in the unified hierarchy). Lifecycle: <see cref="Create"/> makes the
/// directories and writes the limits; <see cref="AddProcess"/> moves the container's init in
/// before it runs anything; <see cref="Update"/>, <see cref="Freeze"/>/<see cref="Thaw"/>,
/// <see cref="Pids"/> and <see cref="Stats"/> serve later commands, which reopen the same
/// cgroup from <see cref="Paths"/> kept in the container's state; <see cref="Destroy"/> removes
/// the directories once no process is left. Errors are BerthExceptions naming the file.
/// </summary>
public interface ICgroup
{
    /// <summary>Where this cgroup lives: on v1 controller name to absolute directory, on v2 the one unified directory.</summary>
    CgroupPaths Paths { get; }

    /// <summary>Makes the cgroup's directories and applies <paramref name="resources"/>.</summary>
    void Create(LinuxResources? resources);

    /// <summary>Writes new limits to an existing cgroup (`update`).</summary>
    void Update(LinuxResources resources);

    /// <summary>Moves a process (with all its threads) into the cgroup.</summary>
    void AddProcess(int pid);

    /// <summary>Every process in the cgroup and its descendants.</summary>
    IReadOnlyList<int> Pids();

    void Freeze();

    void Thaw();

    bool IsFrozen();

    CgroupStats Stats();

    /// <summary>Removes the cgroup's directories; missing ones are not an error.</summary>
    void Destroy();
}
