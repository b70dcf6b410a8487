using Berth.Oci;

namespace Berth.Images.Content;

/// <summary>
/// Writes new blobs. The lifecycle, after containerd's content.Ingester:
/// <list type="number">
/// <item><see cref="BeginAsync"/> with a <em>ref</em>, a caller-chosen name for this write (a pull
/// uses the descriptor's digest, a build its step). It returns an <see cref="IBlobWriter"/>. Only
/// one writer per ref may be open at a time, across processes: a second is Unavailable.</item>
/// <item>Write the bytes in chunks. They go to an ingest area, never to the blob's final name, and
/// are hashed as they arrive.</item>
/// <item><see cref="IBlobWriter.CommitAsync"/> checks the size and digest against what was expected
/// and only then makes the blob visible, by an atomic rename, fsynced. A mismatch is
/// FailedPrecondition naming both values, and nothing becomes visible. A blob that is already
/// present is AlreadyExists (containerd's answer): the content is there, so callers that only want
/// it stored treat that as success — <see cref="BlobIngest.WriteBlobAsync"/> does.</item>
/// </list>
/// Disposing a writer without committing keeps what was written: after a crash or a dropped
/// connection, <see cref="BeginAsync"/> with the same ref resumes. <see cref="IBlobWriter.Offset"/>
/// (or <see cref="StatusAsync"/>) says where to continue; the bytes already on disk are re-hashed.
/// <see cref="AbortAsync"/> throws an ingest away. Begin with an expected digest that is already
/// in the store is AlreadyExists, so nothing is downloaded twice.
/// </summary>
/// <example>
/// A pull of one layer, resumable:
/// <code>
/// await using var writer = await store.BeginAsync(descriptor.Digest, digest, descriptor.Size);
/// body.Seek(writer.Offset, SeekOrigin.Begin);        // 0, or where a previous attempt stopped
/// while ((read = await body.ReadAsync(buffer)) > 0)
///     await writer.WriteAsync(buffer.AsMemory(0, read));
/// await writer.CommitAsync(digest, descriptor.Size); // verified, then visible
/// </code>
/// </example>
public interface IBlobIngester
{
    /// <summary>Starts or resumes the ingest named <paramref name="reference"/>.</summary>
    Task<IBlobWriter> BeginAsync(
        string reference,
        Digest? expectedDigest = null,
        long? expectedSize = null,
        CancellationToken cancellationToken = default);

    /// <summary>The state of an ingest that is not committed yet; NotFound when there is none.</summary>
    Task<IngestStatus> StatusAsync(string reference, CancellationToken cancellationToken = default);

    /// <summary>Every ingest not committed yet (live or abandoned), in no particular order.</summary>
    Task<IReadOnlyList<IngestStatus>> ListStatusesAsync(CancellationToken cancellationToken = default);

    /// <summary>Removes an ingest and its bytes; NotFound when there is none, Unavailable while a writer holds it.</summary>
    Task AbortAsync(string reference, CancellationToken cancellationToken = default);
}
