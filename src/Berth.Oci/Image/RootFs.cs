using System.Text.Json.Serialization;

namespace Berth.Oci.Image;

/// <summary>
/// The layers of an image as their uncompressed digests (image-spec config.md <c>rootfs</c>),
/// base first. A diff id is the digest of the layer's tar after decompression, which is what
/// a layer store keys unpacked layers by.
/// </summary>
public sealed record RootFs
{
    /// <summary>Always <c>layers</c>.</summary>
    public string Type { get; init; } = "layers";

    [JsonPropertyName("diff_ids")]
    public IReadOnlyList<string> DiffIds { get; init; } = [];
}
