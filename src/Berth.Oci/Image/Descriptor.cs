namespace Berth.Oci.Image;

/// <summary>
/// A reference to content (image-spec descriptor.md): its media type, digest and size, with
/// optional URLs, annotations, platform and artifact type. JSON names as the spec's.
/// </summary>
public sealed record Descriptor
{
    public string MediaType { get; init; } = "";
    public string Digest { get; init; } = "";
    public long Size { get; init; }
    public IReadOnlyList<string>? Urls { get; init; }
    public IReadOnlyDictionary<string, string>? Annotations { get; init; }
    public string? ArtifactType { get; init; }
    public Platform? Platform { get; init; }
}

/// <summary>The platform an image in an index is for (image-spec image-index.md).</summary>
public sealed record Platform
{
    public string Architecture { get; init; } = "";
    public string Os { get; init; } = "";
    public string? OsVersion { get; init; }
    public IReadOnlyList<string>? OsFeatures { get; init; }
    public string? Variant { get; init; }
}
