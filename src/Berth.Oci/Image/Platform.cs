using System.Text.Json.Serialization;

namespace Berth.Oci.Image;

/// <summary>
/// The platform an image in an index is for (image-spec image-index.md): GOARCH/GOOS values
/// such as <c>amd64</c>/<c>linux</c>, with an optional variant (<c>v8</c> for arm64).
/// </summary>
public sealed record Platform
{
    public string Architecture { get; init; } = "";
    public string Os { get; init; } = "";

    [JsonPropertyName("os.version")]
    public string? OsVersion { get; init; }

    [JsonPropertyName("os.features")]
    public IReadOnlyList<string>? OsFeatures { get; init; }

    public string? Variant { get; init; }

    /// <summary>Docker manifest lists carry this (e.g. <c>sse4</c>); OCI reserves it.</summary>
    public IReadOnlyList<string>? Features { get; init; }
}
