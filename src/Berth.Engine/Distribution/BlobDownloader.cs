using Berth.Distribution.Client;
using Berth.Errdefs;
using Berth.Images.Content;
using Berth.Oci;
using Berth.Oci.Image;

namespace Berth.Engine.Distribution;

/// <summary>
/// Moves one blob from a registry into the content store, verified and resumable. The ingest is
/// named <c>pull-DIGEST</c>, so an attempt that was killed or lost its connection leaves its bytes
/// there, and the next one asks the registry only for the rest (a Range request from the ingest's
/// offset). The store's commit checks size and digest before the blob is visible; content that
/// does not match is thrown away, so a lying registry leaves nothing behind.
/// </summary>
internal static class BlobDownloader
{
    public static string IngestRef(Digest digest) => "pull-" + digest;

    /// <summary>The blob's bytes in the store; reports "Downloading" progress under <paramref name="id"/> when given.</summary>
    public static async Task FetchAsync(RegistryClient client, string repository, Descriptor descriptor, IBlobIngester ingester,
        ITransferProgress progress, string? id, CancellationToken cancellationToken)
    {
        var digest = Digest.Parse(descriptor.Digest);
        if (descriptor.Size < 0)
            throw BerthException.InvalidArgument($"blob {digest}: negative size {descriptor.Size}");
        IBlobWriter writer;
        try
        {
            writer = await BlobIngest.OpenWriterAsync(ingester, IngestRef(digest), digest, descriptor.Size, cancellationToken).ConfigureAwait(false);
        }
        catch (BerthException e) when (e.Kind == ErrorKind.AlreadyExists)
        {
            return;
        }
        try
        {
            if (writer.Offset > descriptor.Size)
                writer = await RestartAsync(ingester, writer, digest, descriptor.Size, cancellationToken).ConfigureAwait(false);
            using var download = await client.GetBlobAsync(repository, digest, writer.Offset, cancellationToken).ConfigureAwait(false);
            if (download.Offset != writer.Offset)
                writer = await RestartAsync(ingester, writer, digest, descriptor.Size, cancellationToken).ConfigureAwait(false);
            var buffer = new byte[1 << 16];
            var lastReport = 0L;
            int read;
            while ((read = await download.Body.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
            {
                if (writer.Offset + read > descriptor.Size)
                {
                    await DiscardAsync(ingester, writer).ConfigureAwait(false);
                    throw BerthException.FailedPrecondition($"blob {digest}: the registry sent more than the {descriptor.Size} bytes its descriptor says");
                }
                await writer.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
                if (id is not null && (writer.Offset - lastReport >= 256 * 1024 || writer.Offset == descriptor.Size))
                {
                    progress.Layer(id, "Downloading", writer.Offset, descriptor.Size);
                    lastReport = writer.Offset;
                }
            }
            if (writer.Offset < descriptor.Size)
                throw BerthException.Unavailable($"blob {digest}: the connection ended after {writer.Offset} of {descriptor.Size} bytes (kept: the next pull resumes there)");
            if (id is not null)
                progress.Layer(id, "Verifying Checksum");
            try
            {
                await writer.CommitAsync(digest, descriptor.Size, cancellationToken).ConfigureAwait(false);
            }
            catch (BerthException e) when (e.Kind == ErrorKind.AlreadyExists)
            {
            }
            catch (BerthException e) when (e.Kind == ErrorKind.FailedPrecondition)
            {
                await DiscardAsync(ingester, writer).ConfigureAwait(false);
                throw e.Wrap($"blob {digest}: the registry's content does not match its digest");
            }
        }
        finally
        {
            await writer.DisposeAsync().ConfigureAwait(false);
        }
    }

    private static async Task<IBlobWriter> RestartAsync(IBlobIngester ingester, IBlobWriter writer, Digest digest, long size, CancellationToken cancellationToken)
    {
        await DiscardAsync(ingester, writer).ConfigureAwait(false);
        return await BlobIngest.OpenWriterAsync(ingester, IngestRef(digest), digest, size, cancellationToken).ConfigureAwait(false);
    }

    private static async Task DiscardAsync(IBlobIngester ingester, IBlobWriter writer)
    {
        await writer.DisposeAsync().ConfigureAwait(false);
        try
        {
            await ingester.AbortAsync(writer.Reference).ConfigureAwait(false);
        }
        catch (BerthException e) when (e.Kind is ErrorKind.NotFound or ErrorKind.Unavailable)
        {
        }
    }
}
