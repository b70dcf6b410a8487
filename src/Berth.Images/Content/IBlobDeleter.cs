using Berth.Oci;

namespace Berth.Images.Content;

/// <summary>
/// Removes committed blobs. The store keeps no references: deciding that nothing (no image, no
/// manifest, no running container) still needs a blob is the caller's job, as in containerd, whose
/// garbage collector sits above the content store. Deleting an absent blob is NotFound.
/// </summary>
public interface IBlobDeleter
{
    Task DeleteAsync(Digest digest, CancellationToken cancellationToken = default);
}
