using System.Text.Json.Serialization;

namespace Berth.Cgroups;

/// <summary>
/// Block I/O counters by device, in cgroup v1's tables; on v2 io.stat fills the bytes
/// (rbytes/wbytes as "Read"/"Write") and serviced (rios/wios) tables. Empty tables are null.
/// </summary>
public sealed record BlkioStats
{
    [JsonPropertyName("ioServiceBytesRecursive")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<BlkioEntry>? IoServiceBytesRecursive { get; init; }

    [JsonPropertyName("ioServicedRecursive")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<BlkioEntry>? IoServicedRecursive { get; init; }

    [JsonPropertyName("ioQueueRecursive")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<BlkioEntry>? IoQueuedRecursive { get; init; }

    [JsonPropertyName("ioServiceTimeRecursive")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<BlkioEntry>? IoServiceTimeRecursive { get; init; }

    [JsonPropertyName("ioWaitTimeRecursive")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<BlkioEntry>? IoWaitTimeRecursive { get; init; }

    [JsonPropertyName("ioMergedRecursive")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<BlkioEntry>? IoMergedRecursive { get; init; }

    [JsonPropertyName("ioTimeRecursive")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<BlkioEntry>? IoTimeRecursive { get; init; }

    [JsonPropertyName("sectorsRecursive")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<BlkioEntry>? SectorsRecursive { get; init; }
}
