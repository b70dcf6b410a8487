using Berth.Oci;

namespace Berth.Images.Content;

/// <summary>
/// One open ingest (see <see cref="IBlobIngester"/>). Not thread-safe: one caller writes, in
/// order. Disposing without <see cref="CommitAsync"/> keeps the bytes for a later resume.
/// </summary>
public interface IBlobWriter : IAsyncDisposable
{
    string Reference { get; }

    /// <summary>Bytes written so far, including those found on disk when the ingest was resumed.</summary>
    long Offset { get; }

    /// <summary>Appends bytes at <see cref="Offset"/>. Writing past an expected size is FailedPrecondition.</summary>
    Task WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken = default);

    /// <summary>
    /// Verifies and publishes the blob. <paramref name="expectedDigest"/> and
    /// <paramref name="expectedSize"/> are checked when given, as are those given to Begin; a
    /// mismatch is FailedPrecondition and the blob stays invisible (the ingest is kept until
    /// aborted). Returns the blob's digest and size. AlreadyExists when the store already had it.
    /// </summary>
    Task<BlobInfo> CommitAsync(Digest? expectedDigest = null, long? expectedSize = null, CancellationToken cancellationToken = default);
}
