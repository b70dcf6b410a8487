using Berth.Oci;
using Berth.Oci.Image;

namespace Berth.Images.Index;

/// <summary>
/// The names of images: a full canonical reference (<c>docker.io/library/busybox:latest</c>, or
/// one pinned by digest) mapped to the descriptor of an image manifest or image index in the
/// content store. This is docker's and containerd's "image" record: tagging adds a name, rmi
/// removes one, and the blobs stay until the caller's garbage collection decides otherwise.
/// <para>
/// Names arrive already normalised by the reference parser; the index only refuses an empty name
/// or one with control characters (InvalidArgument), and a descriptor whose digest does not parse.
/// An unknown name is NotFound. Every change is durable and atomic when its task completes, and
/// concurrent changes, from this process or another, are never lost.
/// </para>
/// </summary>
public interface IImageIndex
{
    Task<Descriptor> GetAsync(string name, CancellationToken cancellationToken = default);

    /// <summary>All names, sorted ordinally.</summary>
    Task<IReadOnlyList<ImageRecord>> ListAsync(CancellationToken cancellationToken = default);

    /// <summary>Points <paramref name="name"/> at <paramref name="target"/>, replacing what it pointed at.</summary>
    Task SetAsync(string name, Descriptor target, CancellationToken cancellationToken = default);

    Task RemoveAsync(string name, CancellationToken cancellationToken = default);

    /// <summary>The names that point at <paramref name="digest"/>, sorted; empty when none does.</summary>
    Task<IReadOnlyList<string>> NamesForAsync(Digest digest, CancellationToken cancellationToken = default);
}
