namespace Berth.Oci.Image;

/// <summary>
/// Docker's <c>Healthcheck</c> in an image config (not in the OCI spec, which tolerates it).
/// Durations are nanoseconds, as Go writes a <c>time.Duration</c>. Test is
/// <c>["NONE"]</c>, <c>["CMD", args...]</c> or <c>["CMD-SHELL", command]</c>.
/// </summary>
public sealed record HealthConfig
{
    public IReadOnlyList<string>? Test { get; init; }
    public long? Interval { get; init; }
    public long? Timeout { get; init; }
    public long? StartPeriod { get; init; }
    public long? StartInterval { get; init; }
    public int? Retries { get; init; }
}
