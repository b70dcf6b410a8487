using Berth.Errdefs;
using Berth.Images.Content;
using Berth.Images.Layers;
using Berth.Images.Mutate;
using Berth.Oci;
using Berth.Oci.Image;

namespace Berth.Engine.Images;

/// <summary>
/// Writes a snapshot's changes (an overlay upper directory against its lowers) as one
/// uncompressed layer blob: the differ's tar streams straight into an ingest and is committed
/// under the DiffID the differ computed, which the store checks against the bytes it received.
/// A blob that is already there (the same change made before) is success. Nothing of a failed
/// write stays visible: its ingest is aborted. Callers that must keep the blob from a concurrent
/// collection hold the image service's writer lock around the write and whatever references it.
/// </summary>
public static class LayerCommit
{
    public static async Task<(NewLayer Layer, int Entries)> WriteAsync(
        FileContentStore content, string upperDir, IReadOnlyList<string> lowers, LayerDiffOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        var ingest = $"layer-{Guid.NewGuid():N}";
        var writer = await content.BeginAsync(ingest, cancellationToken: cancellationToken).ConfigureAwait(false);
        var committed = false;
        try
        {
            LayerDiffResult result;
            await using (writer.ConfigureAwait(false))
            {
                await using (var stream = new IngestWriteStream(writer))
                    result = await LayerDiffer.WriteAsync(upperDir, lowers, stream, options, cancellationToken).ConfigureAwait(false);
                try
                {
                    await writer.CommitAsync(result.DiffId, result.Size, cancellationToken).ConfigureAwait(false);
                }
                catch (BerthException e) when (e.Kind == ErrorKind.AlreadyExists)
                {
                    // The same change was committed before: the blob is there.
                }
                committed = true;
            }
            var descriptor = new Descriptor { MediaType = MediaTypes.OciLayer, Digest = result.DiffId.ToString(), Size = result.Size };
            return (new NewLayer(descriptor, result.DiffId), result.Entries);
        }
        finally
        {
            if (!committed)
            {
                try
                {
                    await content.AbortAsync(ingest, CancellationToken.None).ConfigureAwait(false);
                }
                catch (BerthException)
                {
                    // Left for the next load, import or prune to clean.
                }
            }
        }
    }

    /// <summary>A write-only stream into an ingest: the differ writes, the store hashes.</summary>
    private sealed class IngestWriteStream(IBlobWriter writer) : Stream
    {
        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) =>
            writer.WriteAsync(buffer.AsMemory(offset, count)).GetAwaiter().GetResult();
        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) =>
            new(writer.WriteAsync(buffer.ToArray(), cancellationToken));
    }
}
