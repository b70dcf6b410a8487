using System.Text;
using Berth.Errdefs;
using Berth.Images.Content;
using Berth.Images.Index;
using Berth.Oci;
using Berth.Oci.Image;
using Berth.Oci.References;

namespace Berth.Images.Archive;

/// <summary>
/// An OCI image layout in a tar (<c>oci-archive</c> to skopeo and podman): <c>oci-layout</c>,
/// <c>index.json</c> and <c>blobs/ALG/HEX</c>. Each name of an image is one entry of index.json
/// with the full name in <c>org.opencontainers.image.ref.name</c> and
/// <c>io.containerd.image.name</c>, so <c>skopeo inspect oci-archive:FILE:docker.io/library/busybox:latest</c>
/// finds it. An image whose index entry is an image index is saved as its host platform manifest.
/// <para>
/// <see cref="LoadAsync"/> reads an untrusted archive: every blob is verified by digest before
/// it is visible in the store, each manifest's config, layers, sizes and DiffIDs are checked, and
/// only then are names indexed. Entry names that are absolute or contain <c>..</c>, corrupt or
/// truncated data, a digest mismatch or a missing blob are one InvalidArgument and no index entry
/// (blobs already verified stay, unnamed; ingests left behind go with the store's check).
/// </para>
/// </summary>
public static class OciArchive
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
            await tar.FileAsync("oci-layout", """{"imageLayoutVersion":"1.0.0"}"""u8.ToArray(), cancellationToken).ConfigureAwait(false);
            var entries = saved.SelectMany(s => s.Names.Count == 0
                ? [s.Manifest]
                : s.Names.Select(n => s.Manifest with
                {
                    Annotations = new Dictionary<string, string> { [ImageIndex.NameAnnotation] = n, [ImageIndex.RefNameAnnotation] = n },
                })).ToList();
            var index = new Oci.Image.Index { SchemaVersion = 2, MediaType = MediaTypes.OciIndex, Manifests = entries };
            await tar.FileAsync("index.json", ImageJson.Serialize(index), cancellationToken).ConfigureAwait(false);
            await tar.FinishAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (BerthException e)
        {
            throw e.Wrap("save oci archive");
        }
    }

    public static async Task<IReadOnlyList<LoadedImage>> LoadAsync(
        IContentStore store, IImageIndex index, Stream input, ArchiveLimits? limits = null, CancellationToken cancellationToken = default)
    {
        limits ??= ArchiveLimits.Default;
        try
        {
            var contents = await new ArchiveTarReader(store, limits).ReadAsync(input, cancellationToken).ConfigureAwait(false);
            var loaded = await CheckAsync(store, contents, limits, cancellationToken).ConfigureAwait(false);
            await NameAsync(index, loaded, cancellationToken).ConfigureAwait(false);
            return loaded;
        }
        catch (BerthException e)
        {
            throw e.Wrap("load oci archive");
        }
    }

    /// <summary>The images of an archive's index.json, checked; nothing is named yet.</summary>
    internal static async Task<List<LoadedImage>> CheckAsync(IContentStore store, ArchiveContents contents, ArchiveLimits limits, CancellationToken cancellationToken)
    {
        if (contents.Json.TryGetValue("oci-layout", out var layout) && !Encoding.UTF8.GetString(layout).Contains("\"imageLayoutVersion\"", StringComparison.Ordinal))
            throw BerthException.InvalidArgument("`oci-layout` has no imageLayoutVersion");
        if (!contents.Json.TryGetValue("index.json", out var indexBytes))
            throw BerthException.InvalidArgument("the archive has no `index.json` (is it an OCI image layout?)");
        var index = ImageJson.ParseIndex(indexBytes);
        var verifier = new ArchiveVerifier(store, limits);
        var byDigest = new Dictionary<string, (Descriptor Target, Digest Config, List<string> Names)>(StringComparer.Ordinal);
        foreach (var entry in index.Manifests)
        {
            if (!MediaTypes.IsManifest(entry.MediaType) && !MediaTypes.IsIndex(entry.MediaType))
                continue; // an artifact or something else this store does not name
            if (!byDigest.TryGetValue(entry.Digest, out var found))
            {
                var config = await verifier.CheckTargetAsync(entry, contents, 0, cancellationToken).ConfigureAwait(false);
                var target = new Descriptor { MediaType = entry.MediaType, Digest = entry.Digest, Size = entry.Size, Platform = entry.Platform };
                byDigest[entry.Digest] = found = (target, config, []);
            }
            if (NameOf(entry) is { } name && !found.Names.Contains(name))
                found.Names.Add(name);
        }
        if (byDigest.Count == 0)
            throw BerthException.InvalidArgument("`index.json` lists no image");
        return byDigest.Values.Select(v => new LoadedImage(v.Target, v.Config, v.Names)).ToList();
    }

    internal static async Task NameAsync(IImageIndex index, IReadOnlyList<LoadedImage> images, CancellationToken cancellationToken)
    {
        foreach (var image in images)
        {
            foreach (var name in image.Names)
                await index.SetAsync(name, image.Manifest, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// The full name of an index.json entry: containerd's name annotation, else a ref.name that is
    /// a whole reference. A bare tag (<c>latest</c>, as docker writes) names nothing by itself.
    /// </summary>
    private static string? NameOf(Descriptor entry)
    {
        if (entry.Annotations is not { } annotations)
            return null;
        foreach (var key in new[] { ImageIndex.NameAnnotation, ImageIndex.RefNameAnnotation })
        {
            if (!annotations.TryGetValue(key, out var value) || value.Length == 0)
                continue;
            if (key == ImageIndex.RefNameAnnotation && !value.Contains('/') && !value.Contains(':'))
                continue;
            if (Reference.TryParse(value, out var reference) && !reference.IsNameOnly)
                return reference.ToString();
            if (key == ImageIndex.NameAnnotation)
                throw BerthException.InvalidArgument($"index.json: name `{value}` is not a valid image reference");
        }
        return null;
    }
}
