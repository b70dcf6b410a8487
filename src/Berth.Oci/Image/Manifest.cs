using System.Text.Json.Serialization;

namespace Berth.Oci.Image;

/// <summary>
/// An image manifest (image-spec manifest.md), or a Docker schema-2 manifest, which has the same
/// shape: a config descriptor and the layers in order from the base up. With an
/// <see cref="ArtifactType"/> it describes an artifact rather than a runnable image, and
/// <see cref="Subject"/> points at the manifest it refers to (a signature, an SBOM).
/// Read with <see cref="ImageJson.ParseManifest"/>, which checks what this type cannot.
/// </summary>
public sealed record Manifest
{
    [JsonRequired]
    public int SchemaVersion { get; init; } = 2;
    public string? MediaType { get; init; }
    public string? ArtifactType { get; init; }
    [JsonRequired]
    public Descriptor Config { get; init; } = new();
    [JsonRequired]
    public IReadOnlyList<Descriptor> Layers { get; init; } = [];
    public Descriptor? Subject { get; init; }
    public IReadOnlyDictionary<string, string>? Annotations { get; init; }
}
