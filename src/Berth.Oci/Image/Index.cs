using System.Text.Json.Serialization;

namespace Berth.Oci.Image;

/// <summary>
/// An image index (image-spec image-index.md), or a Docker manifest list, which has the same
/// shape: manifests for several platforms, each with its <see cref="Descriptor.Platform"/>.
/// An OCI image layout's <c>index.json</c> is one too. Read with <see cref="ImageJson.ParseIndex"/>.
/// </summary>
public sealed record Index
{
    [JsonRequired]
    public int SchemaVersion { get; init; } = 2;
    public string? MediaType { get; init; }
    public string? ArtifactType { get; init; }
    [JsonRequired]
    public IReadOnlyList<Descriptor> Manifests { get; init; } = [];
    public Descriptor? Subject { get; init; }
    public IReadOnlyDictionary<string, string>? Annotations { get; init; }

    /// <summary>
    /// The first manifest for <paramref name="platform"/> (compared normalised), or null. Entries
    /// without a platform are skipped, as are attestations (platform <c>unknown/unknown</c>).
    /// </summary>
    public Descriptor? FindManifest(Platform platform) =>
        Manifests.FirstOrDefault(m => m.Platform is { } p && MediaTypes.IsManifest(m.MediaType) && p.Matches(platform));
}
