using System.Text.Json.Serialization;

namespace Berth.Cgroups;

/// <summary>Tasks in the cgroup and the pids limit (0 when unlimited, as runc reports "max").</summary>
public sealed record PidsStats
{
    [JsonPropertyName("current")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public ulong Current { get; init; }

    [JsonPropertyName("limit")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public ulong Limit { get; init; }
}
