using Berth.Errdefs;
using Berth.Images.Content;
using Berth.Images.Layers;
using Berth.Images.Mutate;
using Berth.Oci;
using Berth.Oci.Image;

namespace Berth.Images.Archive;

/// <summary>
/// Checks an image read from an archive before anything names it: the config parses, there is
/// one layer per DiffID, and each layer's uncompressed digest is the DiffID the config claims.
/// Every failure is InvalidArgument naming the image and the layer.
/// </summary>
internal sealed class ArchiveVerifier(IContentStore store, ArchiveLimits limits)
{
    public async Task<ImageConfig> ReadConfigAsync(Digest digest, CancellationToken cancellationToken) =>
        ImageJson.ParseConfig(await ReadJsonAsync(digest, ImageJson.MaxConfigBytes, cancellationToken).ConfigureAwait(false));

    public async Task<byte[]> ReadJsonAsync(Digest digest, int maxBytes, CancellationToken cancellationToken)
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

    /// <summary>Throws unless <paramref name="layers"/> are, in order, the layers whose DiffIDs the config lists.</summary>
    public async Task CheckLayersAsync(ImageConfig config, IReadOnlyList<ArchiveBlob> layers, CancellationToken cancellationToken)
    {
        var diffIds = config.RootFs.DiffIds;
        if (diffIds.Count != layers.Count)
            throw BerthException.InvalidArgument($"the config lists {diffIds.Count} diff ids but there are {layers.Count} layers");
        for (var i = 0; i < layers.Count; i++)
        {
            var actual = layers[i].DiffId ?? await DiffIdAsync(layers[i].Digest, cancellationToken).ConfigureAwait(false);
            if (actual.ToString() != diffIds[i])
                throw BerthException.InvalidArgument(
                    $"layer {i} `{layers[i].Digest}`: its uncompressed digest `{actual}` is not the config's diff id `{diffIds[i]}`");
        }
    }

    /// <summary>The digest of the layer after decompression (gzip or zstd, by magic).</summary>
    public async Task<Digest> DiffIdAsync(Digest layer, CancellationToken cancellationToken)
    {
        var blob = await store.OpenReadAsync(layer, cancellationToken).ConfigureAwait(false);
        await using (blob.ConfigureAwait(false))
        {
            try
            {
                var (_, decompressed) = await Decompression.OpenAsync(blob, cancellationToken).ConfigureAwait(false);
                var digesting = new DigestingStream(decompressed, limits.MaxTotalSize);
                await using (digesting.ConfigureAwait(false))
                {
                    await digesting.CopyToAsync(Stream.Null, cancellationToken).ConfigureAwait(false);
                    return digesting.Finish();
                }
            }
            catch (Exception e) when (Decompression.IsCorruption(e))
            {
                throw BerthException.InvalidArgument($"layer `{layer}`: corrupt compressed data: {e.Message}");
            }
        }
    }

    /// <summary>
    /// Checks an image manifest or index from an archive (blobs ingested, so present and
    /// verified), and returns the config digest of the image (of the host's manifest in an index).
    /// </summary>
    public async Task<Digest> CheckTargetAsync(Descriptor target, ArchiveContents contents, int depth, CancellationToken cancellationToken)
    {
        var digest = Digest.Parse(target.Digest);
        var blob = contents.Blob(digest, "manifest");
        if (blob.Size != target.Size)
            throw BerthException.InvalidArgument($"manifest `{digest}`: {blob.Size} bytes, the descriptor says {target.Size}");
        var bytes = await ReadJsonAsync(digest, ImageJson.MaxManifestBytes, cancellationToken).ConfigureAwait(false);
        if (MediaTypes.IsIndex(target.MediaType))
        {
            if (depth > 4)
                throw BerthException.InvalidArgument($"index `{digest}`: nested too deeply");
            var index = ImageJson.ParseIndex(bytes);
            Digest? chosen = null;
            foreach (var child in index.Manifests.Where(m => MediaTypes.IsManifest(m.MediaType) || MediaTypes.IsIndex(m.MediaType)))
            {
                var config = await CheckTargetAsync(child, contents, depth + 1, cancellationToken).ConfigureAwait(false);
                if (chosen is null || (child.Platform is { } p && p.Matches(Platform.Host)))
                    chosen = config;
            }
            return chosen ?? throw BerthException.InvalidArgument($"index `{digest}`: has no image manifest");
        }
        if (!MediaTypes.IsManifest(target.MediaType))
            throw BerthException.InvalidArgument($"`{digest}`: media type `{target.MediaType}` is not an image manifest or index");
        try
        {
            var manifest = ImageJson.ParseManifest(bytes);
            var configDigest = Digest.Parse(manifest.Config.Digest);
            var configBlob = contents.Blob(configDigest, "config");
            var config = await ReadConfigAsync(configDigest, cancellationToken).ConfigureAwait(false);
            ImageConsistency.Check(manifest, config);
            if (configBlob.Size != manifest.Config.Size)
                throw BerthException.InvalidArgument($"config `{configDigest}`: {configBlob.Size} bytes, the manifest says {manifest.Config.Size}");
            var layers = new List<ArchiveBlob>();
            foreach (var layer in manifest.Layers)
            {
                var layerBlob = contents.Blob(Digest.Parse(layer.Digest), "layer");
                if (layerBlob.Size != layer.Size)
                    throw BerthException.InvalidArgument($"layer `{layer.Digest}`: {layerBlob.Size} bytes, the manifest says {layer.Size}");
                layers.Add(layerBlob);
            }
            await CheckLayersAsync(config, layers, cancellationToken).ConfigureAwait(false);
            return configDigest;
        }
        catch (BerthException e)
        {
            throw e.Wrap($"manifest `{digest}`");
        }
    }

    /// <summary>An OCI manifest for a config and layers that came without one (a legacy docker archive).</summary>
    public async Task<Descriptor> WriteManifestAsync(ArchiveBlob config, IReadOnlyList<ArchiveBlob> layers, CancellationToken cancellationToken)
    {
        var manifest = new Manifest
        {
            SchemaVersion = 2,
            MediaType = MediaTypes.OciManifest,
            Config = new Descriptor { MediaType = MediaTypes.OciConfig, Digest = config.Digest.ToString(), Size = config.Size },
            Layers = layers.Select(l => new Descriptor
            {
                MediaType = l.Compression switch
                {
                    Oci.Image.LayerCompression.Gzip => MediaTypes.OciLayerGzip,
                    Oci.Image.LayerCompression.Zstd => MediaTypes.OciLayerZstd,
                    _ => MediaTypes.OciLayer,
                },
                Digest = l.Digest.ToString(),
                Size = l.Size,
            }).ToList(),
        };
        var bytes = ImageJson.Serialize(manifest);
        var digest = Digest.Of(bytes);
        await BlobIngest.WriteBlobAsync(store, digest.ToString(), new MemoryStream(bytes, writable: false), digest, bytes.Length, cancellationToken)
            .ConfigureAwait(false);
        return new Descriptor { MediaType = MediaTypes.OciManifest, Digest = digest.ToString(), Size = bytes.Length };
    }
}
