using System.Globalization;
using Berth.Errdefs;
using Berth.Images.Content;
using Berth.Oci;
using Berth.Oci.Image;

namespace Berth.Images.Mutate;

/// <summary>
/// Writes a new image into the content store: the parent's config with the new layers' DiffIDs,
/// history and execution defaults, as a config blob, and an OCI image manifest listing the
/// parent's layers and the new ones. Returns the manifest's descriptor; naming it (the image
/// index) is the caller's. Layer media types are written in their OCI spelling (a Docker
/// schema-2 layer's bytes are the same). The same inputs, with a fixed
/// <see cref="ImageChange.Created"/>, give the same digests.
/// <para>
/// Bad input: a layer blob missing from the store is NotFound; one whose stored size differs from
/// its descriptor, or whose media type is not a layer, is InvalidArgument. Nothing is written
/// until every layer has been checked; a failure after that leaves only unreferenced blobs.
/// </para>
/// </summary>
public sealed class ImageWriter
{
    private readonly IBlobReader _reader;
    private readonly IBlobIngester _ingester;

    public ImageWriter(IBlobReader reader, IBlobIngester ingester)
    {
        _reader = reader;
        _ingester = ingester;
    }

    public ImageWriter(IContentStore store)
        : this(store, store)
    {
    }

    public async Task<Descriptor> WriteAsync(ParentImage? parent, ImageChange change, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(change);
        try
        {
            var (manifest, config) = await BuildAsync(parent, change, cancellationToken).ConfigureAwait(false);
            var configBytes = ImageJson.Serialize(config);
            var configDigest = await BlobBytes.WriteAsync(_ingester, configBytes, cancellationToken).ConfigureAwait(false);
            manifest = manifest with
            {
                Config = new Descriptor { MediaType = MediaTypes.OciConfig, Digest = configDigest.ToString(), Size = configBytes.Length },
            };
            var manifestBytes = ImageJson.Serialize(manifest);
            var manifestDigest = await BlobBytes.WriteAsync(_ingester, manifestBytes, cancellationToken).ConfigureAwait(false);
            return new Descriptor { MediaType = MediaTypes.OciManifest, Digest = manifestDigest.ToString(), Size = manifestBytes.Length };
        }
        catch (BerthException e)
        {
            throw e.Wrap("write image");
        }
    }

    private async Task<(Manifest, ImageConfig)> BuildAsync(ParentImage? parent, ImageChange change, CancellationToken cancellationToken)
    {
        var created = Rfc3339(change.Created ?? DateTimeOffset.UtcNow);
        var layers = new List<Descriptor>();
        var diffIds = new List<string>();
        var history = new List<History>();
        if (parent is not null)
        {
            ImageConsistency.Check(parent.Manifest, parent.Config);
            layers.AddRange(parent.Manifest.Layers.Select(ToOci));
            diffIds.AddRange(parent.Config.RootFs.DiffIds);
            if (parent.Config.History is { Count: > 0 } parentHistory)
                history.AddRange(parentHistory);
            else
                history.AddRange(parent.Manifest.Layers.Select(_ => new History())); // keep history and layers lined up
        }

        foreach (var layer in change.Layers)
        {
            var digest = Digest.Parse(layer.Blob.Digest);
            var info = await _reader.InfoAsync(digest, cancellationToken).ConfigureAwait(false);
            if (info.Size != layer.Blob.Size)
                throw BerthException.InvalidArgument($"layer `{digest}`: the store has {info.Size} bytes, the descriptor says {layer.Blob.Size}");
            layers.Add(ToOci(layer.Blob));
            diffIds.Add(layer.DiffId.ToString());
            history.Add(new History { Created = created, CreatedBy = layer.CreatedBy, Comment = layer.Comment, Author = change.Author });
        }
        if (change.Layers.Count == 0 && (change.CreatedBy is not null || change.Comment is not null))
            history.Add(new History { Created = created, CreatedBy = change.CreatedBy, Comment = change.Comment, Author = change.Author, EmptyLayer = true });

        var platform = parent is null ? (change.Platform ?? Platform.Host) : null;
        var config = new ImageConfig
        {
            Created = created,
            Author = change.Author ?? parent?.Config.Author,
            Architecture = parent?.Config.Architecture ?? platform!.Architecture,
            Os = parent?.Config.Os ?? platform!.Os,
            OsVersion = parent?.Config.OsVersion ?? platform?.OsVersion,
            OsFeatures = parent?.Config.OsFeatures ?? platform?.OsFeatures,
            Variant = parent?.Config.Variant ?? platform?.Variant,
            Config = change.Config ?? parent?.Config.Config ?? new ContainerConfig(),
            RootFs = new RootFs { DiffIds = diffIds },
            History = history,
        };
        var manifest = new Manifest
        {
            SchemaVersion = 2,
            MediaType = MediaTypes.OciManifest,
            Layers = layers,
            Annotations = change.Annotations,
        };
        return (manifest, config);
    }

    /// <summary>The OCI spelling of a layer media type; the bytes are the same.</summary>
    internal static Descriptor ToOci(Descriptor layer)
    {
        var nondistributable = MediaTypes.IsNondistributable(layer.MediaType);
        var mediaType = MediaTypes.Compression(layer.MediaType) switch
        {
            LayerCompression.None => nondistributable ? MediaTypes.OciLayerNondistributable : MediaTypes.OciLayer,
            LayerCompression.Gzip => nondistributable ? MediaTypes.OciLayerNondistributableGzip : MediaTypes.OciLayerGzip,
            LayerCompression.Zstd => nondistributable ? MediaTypes.OciLayerNondistributableZstd : MediaTypes.OciLayerZstd,
            _ => throw BerthException.InvalidArgument($"layer `{layer.Digest}`: media type `{layer.MediaType}` is not a layer"),
        };
        return new Descriptor { MediaType = mediaType, Digest = layer.Digest, Size = layer.Size, Urls = layer.Urls, Annotations = layer.Annotations };
    }

    /// <summary>RFC 3339 in UTC with the fraction trimmed, as Go's RFC3339Nano writes it.</summary>
    internal static string Rfc3339(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture);
}
