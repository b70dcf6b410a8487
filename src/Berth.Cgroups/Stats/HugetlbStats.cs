using System.Text.Json.Serialization;

namespace Berth.Cgroups;

/// <summary>Huge pages of one size: bytes in use, the peak (v1 only), and allocations refused by the limit.</summary>
public sealed record HugetlbStats
{
    [JsonPropertyName("usage")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public ulong Usage { get; init; }

    [JsonPropertyName("max")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public ulong Max { get; init; }

    [JsonPropertyName("failcnt")]
    public ulong Failcnt { get; init; }
}
