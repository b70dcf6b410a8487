using System.Text.Json.Serialization;

namespace Berth.Cgroups;

/// <summary>CPU time used and CFS throttling; a section that is all zero is null (runc's omitzero).</summary>
public sealed record CpuStats
{
    [JsonPropertyName("usage")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public CpuUsage? Usage { get; init; }

    [JsonPropertyName("throttling")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public CpuThrottling? Throttling { get; init; }
}
