using System.Text.Json.Serialization;

namespace Berth.Oci.Image;

/// <summary>
/// Docker's <c>Healthcheck</c> in an image config (not in the OCI spec, which tolerates it).
/// Durations are nanoseconds, as Go writes a <c>time.Duration</c>. Test is
/// <c>["NONE"]</c>, <c>["CMD", args...]</c> or <c>["CMD-SHELL", command]</c>.
/// </summary>
public sealed record HealthConfig
{
    [JsonPropertyName("Test")]
    public IReadOnlyList<string>? Test { get; init; }

    [JsonPropertyName("Interval")]
    public long? Interval { get; init; }

    [JsonPropertyName("Timeout")]
    public long? Timeout { get; init; }

    [JsonPropertyName("StartPeriod")]
    public long? StartPeriod { get; init; }

    [JsonPropertyName("StartInterval")]
    public long? StartInterval { get; init; }

    [JsonPropertyName("Retries")]
    public int? Retries { get; init; }
}
