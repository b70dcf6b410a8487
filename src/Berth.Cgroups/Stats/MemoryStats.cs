using System.Text.Json.Serialization;

namespace Berth.Cgroups;

/// <summary>
/// Memory use. <see cref="Swap"/> is memory+swap as cgroup v1 counts it (on v2 the swap
/// figures are added to the memory ones, as runc does). <see cref="Raw"/> is memory.stat.
/// An entry that is all zero is null (runc's omitzero).
/// </summary>
public sealed record MemoryStats
{
    [JsonPropertyName("cache")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public ulong Cache { get; init; }

    [JsonPropertyName("usage")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public MemoryEntry? Usage { get; init; }

    [JsonPropertyName("swap")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public MemoryEntry? Swap { get; init; }

    [JsonPropertyName("kernel")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public MemoryEntry? Kernel { get; init; }

    [JsonPropertyName("kernelTCP")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public MemoryEntry? KernelTCP { get; init; }

    [JsonPropertyName("raw")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyDictionary<string, ulong>? Raw { get; init; }
}
