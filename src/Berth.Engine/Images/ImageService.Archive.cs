using Berth.Errdefs;
using Berth.Images.Archive;
using Berth.Images.Mutate;
using Berth.Oci;
using Berth.Oci.Image;

namespace Berth.Engine.Images;

public sealed partial class ImageService
{
    /// <summary>
    /// docker save: the images <paramref name="names"/> name, as a docker archive (or an OCI
    /// archive). A name saves that image under that name; an id saves it under all its tags.
    /// </summary>
    public async Task SaveAsync(IReadOnlyList<string> names, bool oci, Stream output, CancellationToken cancellationToken = default)
    {
        var images = new List<ArchiveImage>();
        foreach (var text in names)
        {
            var image = await _images.ResolveAsync(text, cancellationToken).ConfigureAwait(false);
            var tags = image.Tags.ToList();
            var named = NameOf(text, tags);
            var saveAs = named is not null ? [named] : tags;
            if (images.FindIndex(i => i.Manifest.Digest == image.Target.Digest) is var at and >= 0)
                images[at] = images[at] with { Names = images[at].Names.Union(saveAs).ToList() };
            else
                images.Add(new ArchiveImage(image.Target, saveAs));
        }
        if (oci)
            await OciArchive.WriteAsync(_images.Content, images, output, cancellationToken).ConfigureAwait(false);
        else
            await DockerArchive.WriteAsync(_images.Content, images, output, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// docker load (docker or OCI archive, told apart by the archive itself). Every blob is verified
    /// before it is visible and names are set last; an image that loses its name to a loaded one
    /// stays, dangling, as docker's does. Untagged images are kept under their manifest digest.
    /// </summary>
    public async Task<IReadOnlyList<LoadedImage>> LoadAsync(Stream input, CancellationToken cancellationToken = default)
    {
        await AbortLeftoverIngestsAsync(cancellationToken).ConfigureAwait(false);
        using var held = await WriterLockAsync(cancellationToken).ConfigureAwait(false);
        var before = await _images.Index.ListAsync(cancellationToken).ConfigureAwait(false);
        var loaded = await DockerArchive.LoadAsync(_images.Content, _images.Index, input, cancellationToken: cancellationToken).ConfigureAwait(false);
        foreach (var image in loaded.Where(i => i.Names.Count == 0))
            await _images.Index.SetAsync(image.Manifest.Digest, image.Manifest, cancellationToken).ConfigureAwait(false);
        await KeepReplacedAsync(before, loaded.SelectMany(l => l.Names.Select(n => (n, l.Manifest))), cancellationToken).ConfigureAwait(false);
        return loaded;
    }

    /// <summary>
    /// docker import: the tar becomes the single layer of a new image (RootfsImport), named
    /// <paramref name="name"/> when given. Returns the image id.
    /// </summary>
    public async Task<Digest> ImportAsync(Stream rootfs, string? name, IReadOnlyList<string> changes, string? message, string source, CancellationToken cancellationToken = default)
    {
        var reference = name is null ? null : ParseTag(name).ToString();
        var config = ConfigChanges.Apply(null, changes);
        await AbortLeftoverIngestsAsync(cancellationToken).ConfigureAwait(false);
        using var held = await WriterLockAsync(cancellationToken).ConfigureAwait(false);
        var manifest = await new RootfsImport(_images.Content).ImportAsync(rootfs, new ImageChange
        {
            Config = config,
            Comment = message ?? $"Imported from {source}",
            Created = DateTimeOffset.UtcNow,
        }, cancellationToken).ConfigureAwait(false);
        return await NameNewImageAsync(manifest, reference, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Names a freshly written image (or keeps it under its digest) and returns its id.</summary>
    internal async Task<Digest> NameNewImageAsync(Descriptor manifest, string? reference, CancellationToken cancellationToken)
    {
        if (reference is not null)
        {
            await _images.SetNameAsync(reference, manifest, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            var records = await _images.Index.ListAsync(cancellationToken).ConfigureAwait(false);
            if (!records.Any(r => r.Target.Digest == manifest.Digest))
                await _images.Index.SetAsync(manifest.Digest, manifest, cancellationToken).ConfigureAwait(false);
        }
        var parsed = ImageJson.ParseManifest(await _images.ReadBlobAsync(manifest, cancellationToken).ConfigureAwait(false));
        return Digest.Parse(parsed.Config.Digest);
    }

    /// <summary>
    /// docker image prune: dangling images, or with <paramref name="all"/> every image no
    /// container uses. Returns docker's records and the bytes reclaimed.
    /// </summary>
    public async Task<(IReadOnlyList<(string Kind, string Value)> Records, long Reclaimed)> PruneAsync(
        bool all, Func<ImageInfo, bool> filter, CancellationToken cancellationToken = default)
    {
        var used = ContainerImages().Select(c => c.Image).ToHashSet(StringComparer.Ordinal);
        var records = new List<(string, string)>();
        foreach (var image in await _images.ListAsync(cancellationToken).ConfigureAwait(false))
        {
            var dangling = !image.Tags.Any();
            if ((!dangling && !all) || used.Contains(image.Id.ToString()) || !filter(image))
                continue;
            foreach (var name in image.Names)
            {
                await _images.Index.RemoveAsync(name, cancellationToken).ConfigureAwait(false);
                if (!ImageStore.IsDanglingName(name))
                    records.Add(("untagged", ImageInspector.Familiar(name)));
            }
            records.Add(("deleted", image.Id.ToString()));
        }
        var (bytes, layers) = await CollectAsync(cancellationToken).ConfigureAwait(false);
        records.AddRange(layers.Select(l => ("deleted", l)));
        return (records, bytes);
    }

    /// <summary>Leftovers of writers that died: ingests no live writer holds. Locked ones are in use and stay.</summary>
    public async Task AbortLeftoverIngestsAsync(CancellationToken cancellationToken = default)
    {
        if (!Directory.Exists(_images.Content.Root))
            return;
        foreach (var status in await _images.Content.ListStatusesAsync(cancellationToken).ConfigureAwait(false))
        {
            try
            {
                await _images.Content.AbortAsync(status.Reference, cancellationToken).ConfigureAwait(false);
            }
            catch (BerthException e) when (e.Kind is ErrorKind.Unavailable or ErrorKind.NotFound)
            {
                // Another process is writing it, or it finished meanwhile.
            }
        }
    }

    /// <summary>Images that had one of the new names and no other: kept under their digest, dangling.</summary>
    private async Task KeepReplacedAsync(IReadOnlyList<Berth.Images.Index.ImageRecord> before, IEnumerable<(string Name, Descriptor Target)> named, CancellationToken cancellationToken)
    {
        var after = await _images.Index.ListAsync(cancellationToken).ConfigureAwait(false);
        foreach (var (name, target) in named)
        {
            if (before.FirstOrDefault(r => r.Name == name) is { } previous && previous.Target.Digest != target.Digest
                && !after.Any(r => r.Target.Digest == previous.Target.Digest))
            {
                await _images.Index.SetAsync(previous.Target.Digest, previous.Target, cancellationToken).ConfigureAwait(false);
            }
        }
    }
}
