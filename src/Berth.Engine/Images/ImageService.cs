using Berth.Engine.Containers;
using Berth.Errdefs;
using Berth.Linux.Files;
using Berth.Oci;
using Berth.Oci.Image;
using Berth.Oci.References;

namespace Berth.Engine.Images;

/// <summary>
/// docker's image verbs over the store: tag, remove (rmi), prune, and the garbage collection
/// of blobs and unpacked layers that follows them. The vocabulary is docker's: a name is a
/// <em>reference</em>; removing the last reference of an image <em>deletes</em> it; a
/// <em>dangling</em> image has no reference left. An image a container uses (its record's
/// Image, the config digest) is never deleted without force; a forced delete leaves the
/// container's unpacked layers in place, since layers go only when no image and no container
/// uses them.
/// <para>
/// Writers that add blobs (load, import, commit) hold <see cref="WriterLockAsync"/> (an flock on
/// the store's <c>gc.lock</c>) from their first blob until their name is indexed; collection takes
/// the same lock, so it never deletes the blobs of an image about to be named. (Such writers take
/// turns; a crashed one drops its lock with its process.)
/// </para>
/// </summary>
public sealed partial class ImageService
{
    private readonly ImageStore _images;
    private readonly LayerStore _layers;
    private readonly ContainerService _service;
    private readonly ContainerStore _containers;

    public ImageService(ImageStore images, LayerStore layers, ContainerService containers)
    {
        _images = images;
        _layers = layers;
        _service = containers;
        _containers = containers.Store;
    }

    /// <summary>The image service of an engine; the build cache's layers are collection roots.</summary>
    public static ImageService Of(Engine engine) => new(engine.Images, engine.Layers, engine.Containers)
    {
        ExtraRoots = () => new Builds.BuildCache(Builds.BuildService.CacheRoot(engine.Options.Root), engine.Images.Content).ReferencedBlobs(),
        RegistriesFactory = () => Distribution.Registries.ForRoot(engine.Options.Root),
    };

    /// <summary>Blobs kept by something other than the index (the build cache).</summary>
    public Func<IEnumerable<string>>? ExtraRoots { get; init; }

    private string GcLockPath => Path.Combine(_images.Content.Root, "gc.lock");

    /// <summary>Held shared by a writer from its first blob until its index entry is set.</summary>
    public Task<FileLock> WriterLockAsync(CancellationToken cancellationToken = default)
    {
        Directory.CreateDirectory(_images.Content.Root);
        return FileLock.AcquireAsync(GcLockPath, cancellationToken);
    }

    /// <summary>docker tag: points TARGET (normalized, default tag latest) at SOURCE's image.</summary>
    public async Task<string> TagAsync(string source, string target, CancellationToken cancellationToken = default)
    {
        var image = await _images.ResolveAsync(source, cancellationToken).ConfigureAwait(false);
        var reference = ParseTag(target);
        var name = reference.ToString();
        await _images.SetNameAsync(name, image.Target, cancellationToken).ConfigureAwait(false);
        return name;
    }

    /// <summary>A repository[:tag] as docker's tag, import and commit take it.</summary>
    public static Reference ParseTag(string text)
    {
        if (!Reference.TryParse(text, out var reference) || text.StartsWith("sha256:", StringComparison.Ordinal))
            throw BerthException.InvalidArgument($"Error parsing reference: \"{text}\" is not a valid repository/tag: invalid reference format");
        if (reference.Digest is not null)
            throw BerthException.InvalidArgument("refusing to create a tag with a digest reference");
        return reference.WithDefaultTag();
    }

    /// <summary>Config digests of the images any container (running or stopped) was made from.</summary>
    public IReadOnlyList<(string ContainerId, string Image, bool Running)> ContainerImages() =>
        _containers.List().Select(r => (r.Id, r.Image, ContainerState.Of(_containers.Dir(r.Id), r).IsActive)).ToList();

    /// <summary>
    /// Docker's image delete: a name removes that reference (and the image with its last one);
    /// an id removes every reference and the image. Returns docker's records in order:
    /// ("Untagged", familiar name) and ("Deleted", digest).
    /// </summary>
    public async Task<IReadOnlyList<(string Kind, string Value)>> RemoveAsync(string text, bool force, bool prune = true, CancellationToken cancellationToken = default)
    {
        var image = await _images.ResolveAsync(text, cancellationToken).ConfigureAwait(false);
        var records = new List<(string, string)>();
        var references = image.Names.Where(n => !ImageStore.IsDanglingName(n)).ToList();
        var users = ContainerImages().Where(c => c.Image == image.Id.ToString()).ToList();
        var shortId = image.Id.Encoded[..12];
        var byName = NameOf(text, references);
        var quiet = false;
        if (byName is not null)
        {
            if (!force && IsSingleReference(references) && users.Count > 0)
                throw BerthException.Conflict($"conflict: unable to remove repository reference \"{text}\" (must force) - container {users[0].ContainerId[..12]} is using its referenced image {shortId}");
            await UntagAsync(image, byName, records, cancellationToken).ConfigureAwait(false);
            var repo = Reference.Parse(byName).WithNameOnly().ToString();
            var remaining = references.Where(n => n != byName).ToList();
            if (Reference.Parse(byName).Tag is not null && !remaining.Any(n => n.StartsWith(repo + ":", StringComparison.Ordinal)))
            {
                foreach (var digestName in remaining.Where(n => n.StartsWith(repo + "@", StringComparison.Ordinal)).ToList())
                {
                    await UntagAsync(image, digestName, records, cancellationToken).ConfigureAwait(false);
                    remaining.Remove(digestName);
                }
            }
            if (remaining.Count > 0)
                return records;
            references.Clear();
            quiet = true;
        }
        else if (IsSingleReference(references))
        {
            CheckConflict(image, shortId, users, force, activeReference: false);
            foreach (var name in references)
                await UntagAsync(image, name, records, cancellationToken).ConfigureAwait(false);
            references.Clear();
        }

        try
        {
            CheckConflict(image, shortId, users, force, activeReference: references.Count > 0);
        }
        catch (BerthException) when (quiet)
        {
            // The name is gone; the image stays, dangling, for the containers that use it.
            await KeepDanglingAsync(image, cancellationToken).ConfigureAwait(false);
            return records;
        }
        foreach (var name in references)
            await UntagAsync(image, name, records, cancellationToken).ConfigureAwait(false);
        foreach (var record in (await _images.Index.ListAsync(cancellationToken).ConfigureAwait(false)).Where(r => r.Target.Digest == image.Target.Digest))
            await _images.Index.RemoveAsync(record.Name, cancellationToken).ConfigureAwait(false);
        records.Add(("Deleted", image.Id.ToString()));
        if (prune)
        {
            var freed = await CollectAsync(cancellationToken).ConfigureAwait(false);
            foreach (var chain in freed.Layers)
                records.Add(("Deleted", chain));
        }
        return records;
    }

    private static void CheckConflict(ImageInfo image, string shortId, List<(string ContainerId, string Image, bool Running)> users, bool force, bool activeReference)
    {
        if (users.FirstOrDefault(u => u.Running) is { ContainerId: not null } running)
            throw BerthException.Conflict($"conflict: unable to delete {shortId} (cannot be forced) - image is being used by running container {running.ContainerId[..12]}");
        if (force)
            return;
        if (activeReference)
            throw BerthException.Conflict($"conflict: unable to delete {shortId} (must be forced) - image is referenced in multiple repositories");
        if (users.Count > 0)
            throw BerthException.Conflict($"conflict: unable to delete {shortId} (must be forced) - image is being used by stopped container {users[0].ContainerId[..12]}");
        _ = image;
    }

    /// <summary>The normalized name <paramref name="text"/> means, when it is one of the image's references (not an id).</summary>
    private static string? NameOf(string text, List<string> references)
    {
        if (text.StartsWith("sha256:", StringComparison.Ordinal) || !Reference.TryParse(text, out var reference))
            return null;
        var name = reference.Digest is null ? reference.WithDefaultTag().ToString() : reference.ToString();
        return references.Contains(name) ? name : null;
    }

    /// <summary>docker's isSingleReference: at most one tag, and every reference in one repository.</summary>
    private static bool IsSingleReference(List<string> references)
    {
        var parsed = references.Select(Reference.Parse).ToList();
        return parsed.Count(r => r.Tag is not null) <= 1 && parsed.Select(r => r.Name).Distinct().Count() <= 1;
    }

    private async Task UntagAsync(ImageInfo image, string name, List<(string, string)> records, CancellationToken cancellationToken)
    {
        _ = image;
        await _images.Index.RemoveAsync(name, cancellationToken).ConfigureAwait(false);
        records.Add(("Untagged", ImageInspector.Familiar(name)));
    }

    private async Task KeepDanglingAsync(ImageInfo image, CancellationToken cancellationToken)
    {
        var records = await _images.Index.ListAsync(cancellationToken).ConfigureAwait(false);
        if (!records.Any(r => r.Target.Digest == image.Target.Digest))
            await _images.Index.SetAsync(image.Target.Digest, image.Target, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Removes blobs no index entry leads to, and unpacked layers no image and no container
    /// uses. Returns the bytes freed and the ChainIDs of the layers removed.
    /// </summary>
    public async Task<(long Bytes, IReadOnlyList<string> Layers)> CollectAsync(CancellationToken cancellationToken = default)
    {
        long bytes = 0;
        var images = await _images.ListAsync(cancellationToken).ConfigureAwait(false);
        var keepLayers = new HashSet<string>(StringComparer.Ordinal);
        foreach (var image in images)
        {
            foreach (var chain in LayerStore.ChainIds(image.Config.RootFs.DiffIds))
                keepLayers.Add(chain.Encoded);
        }
        foreach (var record in _containers.List())
        {
            foreach (var lower in record.LayerChain)
                keepLayers.Add(Path.GetFileName(Path.GetDirectoryName(lower.TrimEnd('/'))) ?? "");
        }
        var before = Directory.Exists(_layers.Root)
            ? Directory.EnumerateDirectories(_layers.Root).Select(Path.GetFileName).Where(n => n is not null && !n.StartsWith("tmp-", StringComparison.Ordinal)).ToHashSet()
            : [];
        if (Directory.Exists(_layers.Root))
            bytes += await _layers.CleanupAsync(keepLayers, cancellationToken).ConfigureAwait(false);
        var removedLayers = before.Where(n => !Directory.Exists(Path.Combine(_layers.Root, n!))).Select(n => "sha256:" + n).ToList();

        using (await ExclusiveAsync(cancellationToken).ConfigureAwait(false))
        {
            var referenced = await ReferencedBlobsAsync(cancellationToken).ConfigureAwait(false);
            var stale = new List<(Digest Digest, long Size)>();
            await foreach (var blob in _images.Content.WalkAsync(cancellationToken).ConfigureAwait(false))
            {
                if (!referenced.Contains(blob.Digest.ToString()))
                    stale.Add((blob.Digest, blob.Size));
            }
            foreach (var (digest, size) in stale)
            {
                await _images.Content.DeleteAsync(digest, cancellationToken).ConfigureAwait(false);
                bytes += size;
            }
        }
        return (bytes, removedLayers);
    }

    private async Task<IDisposable> ExclusiveAsync(CancellationToken cancellationToken)
    {
        return await WriterLockAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Every blob an index entry leads to: indexes, manifests, configs, layers.</summary>
    private async Task<HashSet<string>> ReferencedBlobsAsync(CancellationToken cancellationToken)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<Descriptor>((await _images.Index.ListAsync(cancellationToken).ConfigureAwait(false)).Select(r => r.Target));
        while (pending.Count > 0)
        {
            var d = pending.Pop();
            if (!seen.Add(d.Digest))
                continue;
            try
            {
                if (MediaTypes.IsIndex(d.MediaType))
                {
                    foreach (var m in ImageJson.ParseIndex(await _images.ReadBlobAsync(d, cancellationToken).ConfigureAwait(false)).Manifests)
                        pending.Push(m);
                }
                else if (MediaTypes.IsManifest(d.MediaType))
                {
                    var manifest = ImageJson.ParseManifest(await _images.ReadBlobAsync(d, cancellationToken).ConfigureAwait(false));
                    seen.Add(manifest.Config.Digest);
                    foreach (var layer in manifest.Layers)
                        seen.Add(layer.Digest);
                }
            }
            catch (BerthException e) when (e.Kind is ErrorKind.NotFound)
            {
                // A manifest of another platform that was never fetched: nothing below it to keep.
            }
        }
        if (ExtraRoots is not null)
            seen.UnionWith(ExtraRoots());
        return seen;
    }
}
