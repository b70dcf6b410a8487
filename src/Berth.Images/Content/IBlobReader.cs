using Berth.Oci;

namespace Berth.Images.Content;

/// <summary>
/// Reads committed blobs. A blob is immutable content named by its digest; it exists only once an
/// ingest has been committed (see <see cref="IBlobIngester"/>), so a reader never sees a partial
/// or unverified write.
/// <para>
/// Reads trust the name: <see cref="OpenReadAsync"/> streams the bytes without hashing them, as
/// containerd does. A caller that must not trust the disk (an export, a push, a repair) calls
/// <see cref="VerifyAsync"/>. A digest that is not in the store is NotFound, naming the digest.
/// </para>
/// </summary>
public interface IBlobReader
{
    /// <summary>The size of the blob; NotFound when the store has no such blob.</summary>
    Task<BlobInfo> InfoAsync(Digest digest, CancellationToken cancellationToken = default);

    /// <summary>Whether the store has the blob.</summary>
    Task<bool> ExistsAsync(Digest digest, CancellationToken cancellationToken = default);

    /// <summary>A seekable read-only stream of the blob's bytes; the caller disposes it. NotFound when absent.</summary>
    Task<Stream> OpenReadAsync(Digest digest, CancellationToken cancellationToken = default);

    /// <summary>
    /// Hashes the blob and compares it with its name; FailedPrecondition naming both digests when the
    /// content does not match (the file was truncated or changed behind the store's back).
    /// </summary>
    Task VerifyAsync(Digest digest, CancellationToken cancellationToken = default);
}
