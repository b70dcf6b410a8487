using System.Text.Json.Serialization;

namespace Berth.Cgroups;

/// <summary>
/// Where a container's cgroup lives, kept in the container's state so that later commands
/// reopen the same directories. On v2 <see cref="Unified"/> is the one directory; on v1
/// <see cref="Controllers"/> maps each controller ("memory", "cpu", …) to its directory, and
/// <see cref="Unified"/> is the hybrid cgroup2 directory when one is mounted, else null.
/// </summary>
public sealed record CgroupPaths
{
    public string? Unified { get; init; }
    public IReadOnlyDictionary<string, string> Controllers { get; init; } = new Dictionary<string, string>();

    /// <summary>True when the host runs the unified hierarchy only (cgroup v2).</summary>
    [JsonIgnore]
    public bool IsV2 => Controllers.Count == 0 && Unified is not null;
}
