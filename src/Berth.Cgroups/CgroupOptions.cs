namespace Berth.Cgroups;

/// <summary>
/// Where <see cref="Cgroup"/> learns the host's cgroup layout, and hooks for tests. The
/// defaults read the running process's /proc files. Tests pass real-looking mountinfo text
/// and a <see cref="RootPrefix"/> pointing at a temporary directory tree laid out like /sys/fs/cgroup.
/// </summary>
public sealed record CgroupOptions
{
    public static CgroupOptions Default { get; } = new();

    /// <summary>The contents of /proc/self/mountinfo; null reads the file.</summary>
    public string? MountInfo { get; init; }

    /// <summary>The contents of /proc/self/cgroup; null reads the file.</summary>
    public string? SelfCgroup { get; init; }

    /// <summary>Prepended to every mount point found, so a fake tree can stand in for /sys/fs/cgroup.</summary>
    public string? RootPrefix { get; init; }

    /// <summary>Called after each successful write with the file and the value, e.g. for tracing.</summary>
    public Action<string, string>? OnWrite { get; init; }

    /// <summary>How long <see cref="ICgroup.Freeze"/> waits for the kernel to report the cgroup frozen.</summary>
    public TimeSpan FreezeTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Whether device rules are enforced on cgroup v2 with an eBPF program. Tests on a fake tree
    /// turn it off (a temporary directory cannot take a BPF program); production leaves it on.
    /// </summary>
    public bool V2DeviceFilter { get; init; } = true;
}
