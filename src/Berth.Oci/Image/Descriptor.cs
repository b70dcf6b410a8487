namespace Berth.Oci.Image;

/// <summary>
/// A reference to content (image-spec descriptor.md): its media type, digest and size, with
/// optional URLs, annotations, embedded data, platform and artifact type. JSON names as the
/// spec's. <see cref="ImageJson"/> checks a parsed descriptor (digest, size) before handing it out.
/// </summary>
public sealed record Descriptor
{
    public string MediaType { get; init; } = "";
    public string Digest { get; init; } = "";
    public long Size { get; init; }
    public IReadOnlyList<string>? Urls { get; init; }
    public IReadOnlyDictionary<string, string>? Annotations { get; init; }

    /// <summary>The content itself, embedded (base64 in JSON); it must match the digest and size.</summary>
    public byte[]? Data { get; init; }

    public string? ArtifactType { get; init; }
    public Platform? Platform { get; init; }

    /// <summary>The descriptor of <paramref name="content"/>: its sha256 digest and its size.</summary>
    public static Descriptor Of(string mediaType, ReadOnlySpan<byte> content) =>
        new() { MediaType = mediaType, Digest = Oci.Digest.Of(content).ToString(), Size = content.Length };
}
