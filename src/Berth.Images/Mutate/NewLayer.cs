using Berth.Oci;
using Berth.Oci.Image;

namespace Berth.Images.Mutate;

/// <summary>
/// A layer blob already in the content store, to be added on top of an image by
/// <see cref="ImageWriter"/>: its descriptor (media type, digest, size of the stored bytes) and its
/// DiffID (the digest of the uncompressed tar). <see cref="CreatedBy"/> and <see cref="Comment"/>
/// become the layer's history entry.
/// </summary>
public sealed record NewLayer(Descriptor Blob, Digest DiffId)
{
    public string? CreatedBy { get; init; }

    public string? Comment { get; init; }
}
