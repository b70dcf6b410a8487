using System.Text.Json.Serialization;

namespace Berth.Cgroups;

/// <summary>One memory counter: limit (unlimited reads as the kernel's huge value), usage, peak, and failures.</summary>
public sealed record MemoryEntry
{
    [JsonPropertyName("limit")]
    public ulong Limit { get; init; }

    [JsonPropertyName("usage")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public ulong Usage { get; init; }

    [JsonPropertyName("max")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public ulong Max { get; init; }

    [JsonPropertyName("failcnt")]
    public ulong Failcnt { get; init; }
}
