using Berth.Errdefs;
using Berth.Images.Content;
using Berth.Oci;

namespace Berth.Images.Mutate;

/// <summary>Small blobs (manifests, configs) whole in memory, and writing bytes as a blob.</summary>
internal static class BlobBytes
{
    public static async Task<byte[]> ReadAsync(IBlobReader store, Digest digest, int maxBytes, CancellationToken cancellationToken)
    {
        var info = await store.InfoAsync(digest, cancellationToken).ConfigureAwait(false);
        if (info.Size > maxBytes)
            throw BerthException.InvalidArgument($"blob `{digest}`: {info.Size} bytes is larger than the limit of {maxBytes}");
        var stream = await store.OpenReadAsync(digest, cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            var bytes = new byte[info.Size];
            await stream.ReadExactlyAsync(bytes, cancellationToken).ConfigureAwait(false);
            return bytes;
        }
    }

    /// <summary>Stores <paramref name="bytes"/> (already present is fine) and returns its digest.</summary>
    public static async Task<Digest> WriteAsync(IBlobIngester store, byte[] bytes, CancellationToken cancellationToken)
    {
        var digest = Digest.Of(bytes);
        await BlobIngest.WriteBlobAsync(store, digest.ToString(), new MemoryStream(bytes, writable: false), digest, bytes.Length, cancellationToken)
            .ConfigureAwait(false);
        return digest;
    }
}
