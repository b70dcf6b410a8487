using System.Text.Json.Serialization;

namespace Berth.Cgroups;

/// <summary>
/// Usage figures read from a cgroup, in the shape of the data of runc's `events --stats`
/// (runc's types/events.go): the JSON names and the omitted-when-zero fields are runc's, so
/// tools that parse runc's output parse Berth's. Sections a runtime adds beside the cgroup's
/// (intel_rdt, network_interfaces) are not cgroup figures and are not here.
/// </summary>
public sealed record CgroupStats
{
    [JsonPropertyName("cpu")]
    public CpuStats Cpu { get; init; } = new();

    [JsonPropertyName("memory")]
    public MemoryStats Memory { get; init; } = new();

    [JsonPropertyName("pids")]
    public PidsStats Pids { get; init; } = new();

    [JsonPropertyName("blkio")]
    public BlkioStats Blkio { get; init; } = new();

    /// <summary>Per page size ("2MB", "1GB").</summary>
    [JsonPropertyName("hugetlb")]
    public IReadOnlyDictionary<string, HugetlbStats> Hugetlb { get; init; } = new Dictionary<string, HugetlbStats>();
}
