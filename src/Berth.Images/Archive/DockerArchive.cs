using System.Text.Json;
using Berth.Errdefs;
using Berth.Images.Content;
using Berth.Images.Index;
using Berth.Oci;
using Berth.Oci.Image;
using Berth.Oci.References;

namespace Berth.Images.Archive;

/// <summary>
/// The <c>docker save</c> / <c>docker load</c> archive. Written in the combined form docker 25+
/// writes: an OCI image layout (<c>oci-layout</c>, <c>index.json</c>, <c>blobs/sha256/HEX</c>) plus
/// <c>manifest.json</c> (<c>[{"Config","RepoTags","Layers"}]</c>, paths into <c>blobs/</c>) and
/// <c>repositories</c>, so docker (old and new), podman and skopeo all read it and the manifest
/// digest survives. RepoTags are familiar names (<c>busybox:latest</c>); index.json entries carry
/// the full name in <c>io.containerd.image.name</c> and the tag in
/// <c>org.opencontainers.image.ref.name</c>, as docker writes them. An image index is saved as its
/// host platform manifest.
/// <para>
/// <see cref="LoadAsync"/> reads that form, the legacy one (<c>ID/layer.tar</c>, <c>HEX.json</c>,
/// layers plain or gzip, linked between images) and a plain OCI archive (no manifest.json), with
/// several images per archive, from an untrusted stream (plain or compressed). Every blob is
/// verified before it is visible; each config's DiffIDs are checked against its layers; names are
/// indexed only after every image checked out. Absolute or <c>..</c> entry names, corrupt or
/// truncated data, a digest mismatch or a missing layer are one InvalidArgument and no index entry.
/// A legacy image gets a new OCI manifest; a combined one keeps its manifest (and digest).
/// </para>
/// </summary>
public static class DockerArchive
{
    public static async Task WriteAsync(IBlobReader store, IReadOnlyList<ArchiveImage> images, Stream output, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(images);
        try
        {
            var saved = new List<SavedImage>();
            foreach (var image in images)
                saved.Add(await SavedImage.ResolveAsync(store, image, cancellationToken).ConfigureAwait(false));
            var tar = new ArchiveTarWriter(output, store);
            foreach (var digest in saved.SelectMany(s => s.Blobs))
                await tar.BlobAsync(digest, cancellationToken).ConfigureAwait(false);

            var references = saved.ToDictionary(s => s, s => s.Names.Select(Reference.Parse).ToList());
            var index = new Oci.Image.Index
            {
                SchemaVersion = 2,
                MediaType = MediaTypes.OciIndex,
                Manifests = saved.SelectMany(s => references[s].Count == 0
                    ? [s.Manifest]
                    : references[s].Select(r => s.Manifest with
                    {
                        Annotations = r.Tag is { } tag
                            ? new Dictionary<string, string> { [ImageIndex.NameAnnotation] = r.ToString(), [ImageIndex.RefNameAnnotation] = tag }
                            : new Dictionary<string, string> { [ImageIndex.NameAnnotation] = r.ToString() },
                    })).ToList(),
            };
            var manifest = saved.Select(s => new DockerManifestEntry
            {
                Config = Path(s.ConfigDigest),
                RepoTags = references[s].Where(r => r.Tag is not null).Select(r => r.Familiar).ToList(),
                Layers = s.Image.Manifest.Layers.Select(l => Path(Digest.Parse(l.Digest))).ToList(),
            }).ToList();
            var repositories = new Dictionary<string, Dictionary<string, string>>(StringComparer.Ordinal);
            foreach (var s in saved)
            {
                foreach (var r in references[s].Where(r => r.Tag is not null))
                {
                    if (!repositories.TryGetValue(r.FamiliarName, out var tags))
                        repositories[r.FamiliarName] = tags = new Dictionary<string, string>(StringComparer.Ordinal);
                    tags[r.Tag!] = s.ConfigDigest.Encoded;
                }
            }

            await tar.FileAsync("index.json", ImageJson.Serialize(index), cancellationToken).ConfigureAwait(false);
            await tar.FileAsync("manifest.json", JsonSerializer.SerializeToUtf8Bytes(manifest, ArchiveJsonContext.Default.ListDockerManifestEntry), cancellationToken)
                .ConfigureAwait(false);
            await tar.FileAsync("oci-layout", """{"imageLayoutVersion":"1.0.0"}"""u8.ToArray(), cancellationToken).ConfigureAwait(false);
            if (repositories.Count > 0)
                await tar.FileAsync("repositories", JsonSerializer.SerializeToUtf8Bytes(repositories, ArchiveJsonContext.Default.DictionaryStringDictionaryStringString), cancellationToken)
                    .ConfigureAwait(false);
            await tar.FinishAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (BerthException e)
        {
            throw e.Wrap("save docker archive");
        }
    }

    public static async Task<IReadOnlyList<LoadedImage>> LoadAsync(
        IContentStore store, IImageIndex index, Stream input, ArchiveLimits? limits = null, CancellationToken cancellationToken = default)
    {
        limits ??= ArchiveLimits.Default;
        try
        {
            var contents = await new ArchiveTarReader(store, limits).ReadAsync(input, cancellationToken).ConfigureAwait(false);
            var loaded = contents.Json.TryGetValue("manifest.json", out var manifestJson)
                ? await CheckAsync(store, contents, manifestJson, limits, cancellationToken).ConfigureAwait(false)
                : contents.Json.ContainsKey("index.json")
                    ? await OciArchive.CheckAsync(store, contents, limits, cancellationToken).ConfigureAwait(false)
                    : throw BerthException.InvalidArgument("the archive has no `manifest.json` (nor an OCI `index.json`): not an image archive, or a truncated one");
            await OciArchive.NameAsync(index, loaded, cancellationToken).ConfigureAwait(false);
            return loaded;
        }
        catch (BerthException e)
        {
            throw e.Wrap("load docker archive");
        }
    }

    private static async Task<List<LoadedImage>> CheckAsync(
        IContentStore store, ArchiveContents contents, byte[] manifestJson, ArchiveLimits limits, CancellationToken cancellationToken)
    {
        var entries = ArchiveJsonContext.ParseManifest(manifestJson);
        if (entries.Count == 0)
            throw BerthException.InvalidArgument("`manifest.json` lists no image");
        var verifier = new ArchiveVerifier(store, limits);
        var ociIndex = contents.Json.TryGetValue("index.json", out var indexJson) ? ImageJson.ParseIndex(indexJson) : null;
        var loaded = new List<LoadedImage>();
        for (var i = 0; i < entries.Count; i++)
        {
            var entry = entries[i];
            try
            {
                var config = contents.Blob(entry.Config, "config");
                var parsed = await verifier.ReadConfigAsync(config.Digest, cancellationToken).ConfigureAwait(false);
                var layers = entry.Layers.Select(l => contents.Blob(l, "layer")).ToList();
                await verifier.CheckLayersAsync(parsed, layers, cancellationToken).ConfigureAwait(false);
                var manifest = await FindManifestAsync(verifier, contents, ociIndex, config, layers, cancellationToken).ConfigureAwait(false)
                    ?? await verifier.WriteManifestAsync(config, layers, cancellationToken).ConfigureAwait(false);
                var names = (entry.RepoTags ?? []).Select(t => Reference.TryParse(t, out var r) && !r.IsNameOnly
                    ? r.ToString()
                    : throw BerthException.InvalidArgument($"RepoTags: `{t}` is not a valid image reference")).Distinct().ToList();
                loaded.Add(new LoadedImage(manifest, config.Digest, names));
            }
            catch (BerthException e)
            {
                throw e.Wrap($"image {i} of `manifest.json`");
            }
        }
        return loaded;
    }

    /// <summary>The archive's own manifest for this config and these layers, when its index.json has one: its digest is kept.</summary>
    private static async Task<Descriptor?> FindManifestAsync(
        ArchiveVerifier verifier, ArchiveContents contents, Oci.Image.Index? index, ArchiveBlob config, List<ArchiveBlob> layers,
        CancellationToken cancellationToken)
    {
        foreach (var candidate in index?.Manifests.Where(m => MediaTypes.IsManifest(m.MediaType)) ?? [])
        {
            if (!Digest.TryParse(candidate.Digest, out var digest) || !contents.Blobs.TryGetValue($"blobs/{digest.Algorithm}/{digest.Encoded}", out var blob)
                || blob.Size != candidate.Size)
                continue;
            var manifest = ImageJson.ParseManifest(await verifier.ReadJsonAsync(digest, ImageJson.MaxManifestBytes, cancellationToken).ConfigureAwait(false));
            if (manifest.Config.Digest == config.Digest.ToString()
                && manifest.Layers.Select(l => l.Digest).SequenceEqual(layers.Select(l => l.Digest.ToString())))
                return new Descriptor { MediaType = candidate.MediaType, Digest = candidate.Digest, Size = candidate.Size };
        }
        return null;
    }

    private static string Path(Digest digest) => $"blobs/{digest.Algorithm}/{digest.Encoded}";
}
