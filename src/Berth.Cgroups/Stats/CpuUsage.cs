using System.Text.Json.Serialization;

namespace Berth.Cgroups;

/// <summary>CPU time in nanoseconds: in total, per CPU (v1 only), in kernel and in user mode.</summary>
public sealed record CpuUsage
{
    [JsonPropertyName("total")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public ulong Total { get; init; }

    [JsonPropertyName("percpu")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<ulong>? Percpu { get; init; }

    [JsonPropertyName("percpu_kernel")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<ulong>? PercpuKernel { get; init; }

    [JsonPropertyName("percpu_user")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<ulong>? PercpuUser { get; init; }

    [JsonPropertyName("kernel")]
    public ulong Kernel { get; init; }

    [JsonPropertyName("user")]
    public ulong User { get; init; }
}
