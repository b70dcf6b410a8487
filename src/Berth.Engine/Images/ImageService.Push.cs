using Berth.Distribution.Client;
using Berth.Distribution.Client.Transfers;
using Berth.Engine.Distribution;
using Berth.Errdefs;
using Berth.Oci;
using Berth.Oci.Image;
using Berth.Oci.References;

namespace Berth.Engine.Images;

public sealed partial class ImageService
{
    /// <summary>
    /// docker push NAME[:TAG]: the image's blobs (config and layers, <see cref="Registries.Parallelism"/>
    /// at a time; see <see cref="BlobUploader"/> for what is skipped, mounted or resumed), then its
    /// exact manifest bytes under the tag, so the registry's digest is the local one. An image held
    /// by an index pushes every manifest of it the store has, then the index, when it has them all;
    /// otherwise only this host's manifest.
    /// </summary>
    public async Task<PushResult> PushAsync(string text, ITransferProgress progress, CancellationToken cancellationToken = default)
    {
        if (!Reference.TryParse(text, out var parsed))
            throw InvalidReference(text);
        if (parsed.Digest is not null)
            throw BerthException.InvalidArgument($"push `{text}`: cannot push a digest reference");
        var reference = parsed.WithDefaultTag();
        progress.Status($"The push refers to repository [{reference.WithNameOnly()}]");
        var image = await _images.TryResolveAsync(reference.ToString(), cancellationToken).ConfigureAwait(false)
            ?? throw BerthException.NotFound($"An image does not exist locally with the tag: {parsed.Familiar}");
        var registries = RegistriesOrThrow;
        var endpoint = registries.Hosts.ForPush(reference.Domain);
        var repository = reference.Path;
        using var client = registries.Client(endpoint, reference.Domain);

        var manifests = new List<(ManifestContent Content, Manifest Parsed)>();
        ManifestContent? index = null;
        if (MediaTypes.IsIndex(image.Target.MediaType))
        {
            var indexBytes = await _images.ReadBlobAsync(image.Target, cancellationToken).ConfigureAwait(false);
            var children = ImageJson.ParseIndex(indexBytes).Manifests.Where(m => MediaTypes.IsManifest(m.MediaType)).ToList();
            foreach (var child in children)
            {
                if (await _images.Content.ExistsAsync(Digest.Parse(child.Digest), cancellationToken).ConfigureAwait(false))
                    manifests.Add(await LocalManifestAsync(child, cancellationToken).ConfigureAwait(false));
            }
            if (manifests.Count == children.Count && manifests.All(m => HasAllAsync(m.Parsed, cancellationToken).GetAwaiter().GetResult()))
                index = new ManifestContent(indexBytes, image.Target.MediaType, Digest.Parse(image.Target.Digest));
            else
                manifests = [await LocalManifestAsync(image.ManifestDescriptor, cancellationToken).ConfigureAwait(false)];
        }
        else
        {
            manifests.Add(await LocalManifestAsync(image.ManifestDescriptor, cancellationToken).ConfigureAwait(false));
        }

        foreach (var (content, manifest) in manifests)
        {
            await PushBlobsAsync(client, registries, repository, manifest, progress, cancellationToken).ConfigureAwait(false);
            if (index is not null || manifests.Count > 1)
                await client.PutManifestAsync(repository, content.Digest.ToString(), content, cancellationToken).ConfigureAwait(false);
        }
        var tagged = index ?? manifests[0].Content;
        await client.PutManifestAsync(repository, reference.Tag!, tagged, cancellationToken).ConfigureAwait(false);
        try
        {
            BlobSources.Record(registries.SourcesPath, endpoint.Host, repository,
                manifests.SelectMany(m => m.Parsed.Layers.Append(m.Parsed.Config)).Select(d => d.Digest).Distinct());
        }
        catch (IOException)
        {
            // Only a hint for later mounts.
        }
        progress.Status($"{reference.Tag}: digest: {tagged.Digest} size: {tagged.Bytes.Length}");
        return new PushResult(reference, tagged.Digest, tagged.Bytes.Length);
    }

    /// <summary>docker push --all-tags: every local tag of the repository, one push each.</summary>
    public async Task<IReadOnlyList<PushResult>> PushAllTagsAsync(string text, ITransferProgress progress, CancellationToken cancellationToken = default)
    {
        if (!Reference.TryParse(text, out var parsed))
            throw InvalidReference(text);
        if (!parsed.IsNameOnly)
            throw BerthException.InvalidArgument("tag can't be used with --all-tags/-a");
        var prefix = parsed.Name + ":";
        var tags = (await _images.Index.ListAsync(cancellationToken).ConfigureAwait(false))
            .Select(r => r.Name).Where(n => n.StartsWith(prefix, StringComparison.Ordinal) && !n.Contains('@')).Order(StringComparer.Ordinal).ToList();
        if (tags.Count == 0)
            throw BerthException.NotFound($"An image does not exist locally with the tag: {parsed.Familiar}");
        var results = new List<PushResult>();
        foreach (var tag in tags)
            results.Add(await PushAsync(tag, progress, cancellationToken).ConfigureAwait(false));
        return results;
    }

    private async Task<(ManifestContent, Manifest)> LocalManifestAsync(Descriptor descriptor, CancellationToken cancellationToken)
    {
        var bytes = await _images.ReadBlobAsync(descriptor, cancellationToken).ConfigureAwait(false);
        var parsed = ImageJson.ParseManifest(bytes);
        var mediaType = MediaTypes.IsManifest(descriptor.MediaType) ? descriptor.MediaType : parsed.MediaType ?? MediaTypes.OciManifest;
        return (new ManifestContent(bytes, mediaType, Digest.Parse(descriptor.Digest)), parsed);
    }

    private async Task PushBlobsAsync(RegistryClient client, Registries registries, string repository, Manifest manifest, ITransferProgress progress, CancellationToken cancellationToken)
    {
        // docker lists layers top first.
        var layers = manifest.Layers.Reverse().DistinctBy(l => l.Digest).ToList();
        foreach (var layer in layers)
            progress.Layer(ShortId(layer.Digest), "Preparing");
        await LayerTransfers.RunAsync(layers, registries.Parallelism, progress,
            (layer, id, token) => BlobUploader.PushAsync(client, registries, repository, layer, _images.Content, progress, id, token),
            cancellationToken).ConfigureAwait(false);
        await BlobUploader.PushAsync(client, registries, repository, manifest.Config, _images.Content, progress, null, cancellationToken).ConfigureAwait(false);
    }
}
