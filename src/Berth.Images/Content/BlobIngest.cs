using Berth.Errdefs;
using Berth.Oci;

namespace Berth.Images.Content;

/// <summary>
/// Helpers over <see cref="IBlobIngester"/> for the common case, after containerd's
/// content.WriteBlob: store a whole stream under a known digest, resuming a previous attempt and
/// treating "already exists" as success.
/// </summary>
public static class BlobIngest
{
    /// <summary>
    /// Writes <paramref name="source"/> as the blob <paramref name="digest"/> of
    /// <paramref name="size"/> bytes. When an earlier attempt with the same ref left bytes behind
    /// and the source is seekable, continues from there. Returns once the blob is in the store.
    /// </summary>
    public static async Task WriteBlobAsync(
        IBlobIngester ingester,
        string reference,
        Stream source,
        Digest digest,
        long size,
        CancellationToken cancellationToken = default)
    {
        try
        {
            var writer = await OpenWriterAsync(ingester, reference, digest, size, cancellationToken).ConfigureAwait(false);
            if (writer.Offset > 0 && writer.Offset <= size && source.CanSeek)
            {
                source.Position = writer.Offset;
            }
            else if (writer.Offset > 0)
            {
                // What is on disk cannot be matched to a position in this stream (or is longer
                // than the blob can be): start over.
                await writer.DisposeAsync().ConfigureAwait(false);
                await ingester.AbortAsync(reference, cancellationToken).ConfigureAwait(false);
                writer = await OpenWriterAsync(ingester, reference, digest, size, cancellationToken).ConfigureAwait(false);
            }
            await using (writer.ConfigureAwait(false))
            {
                var buffer = new byte[1 << 16];
                int read;
                while ((read = await source.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
                    await writer.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
                await writer.CommitAsync(digest, size, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (BerthException e) when (e.Kind == ErrorKind.AlreadyExists)
        {
            // The content is there: that is all the caller asked for.
        }
    }

    /// <summary>
    /// Begins the ingest, waiting while another writer holds the same ref (containerd's client
    /// retries "ref locked" the same way): when that writer commits, Begin says AlreadyExists.
    /// </summary>
    public static async Task<IBlobWriter> OpenWriterAsync(
        IBlobIngester ingester,
        string reference,
        Digest? digest,
        long? size,
        CancellationToken cancellationToken = default)
    {
        var delay = TimeSpan.FromMilliseconds(5);
        while (true)
        {
            try
            {
                return await ingester.BeginAsync(reference, digest, size, cancellationToken).ConfigureAwait(false);
            }
            catch (BerthException e) when (e.Kind == ErrorKind.Unavailable)
            {
                await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
                delay = TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 2, 500));
            }
        }
    }
}
