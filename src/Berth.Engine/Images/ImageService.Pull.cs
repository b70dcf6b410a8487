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
    private Registries? _registries;

    /// <summary>The registries this service pulls from and pushes to (by default made on first use by <see cref="RegistriesFactory"/>).</summary>
    public Registries? Registries
    {
        get => _registries ??= RegistriesFactory?.Invoke();
        init => _registries = value;
    }

    /// <summary>Makes <see cref="Registries"/> when first needed, so a bad registries file only troubles the verbs that use it.</summary>
    public Func<Registries>? RegistriesFactory { get; init; }

    private Registries RegistriesOrThrow => Registries ?? throw BerthException.FailedPrecondition("no registries configured for this image service");

    /// <summary>
    /// docker pull: resolves <paramref name="text"/> (docker's rules: docker.io, library/, latest),
    /// fetches the manifest from each endpoint in turn (mirrors, then the registry), picks
    /// <paramref name="platform"/> (default: this host) from an index, and moves the config and
    /// layers into the store, <see cref="Registries.Parallelism"/> at a time, each verified by
    /// digest and size. The exact manifest bytes (and the index's) are stored, so the image's
    /// digest is the registry's. Names are set last: a failed pull leaves no name pointing at
    /// anything incomplete, and its finished blobs (and partial ones, by ref) serve the next try.
    /// </summary>
    public async Task<PullResult> PullAsync(string text, Platform? platform, ITransferProgress progress, CancellationToken cancellationToken = default)
    {
        var reference = ParsePullReference(text);
        var registries = RegistriesOrThrow;
        var endpoints = registries.Hosts.ForPull(reference.Domain);
        BerthException? failure = null;
        foreach (var endpoint in endpoints)
        {
            using var client = registries.Client(endpoint, reference.Domain);
            try
            {
                return await PullFromAsync(client, reference, platform ?? Platform.Host, progress, cancellationToken).ConfigureAwait(false);
            }
            catch (BerthException e) when (endpoint.Mirror)
            {
                // docker tries the next mirror, then the registry itself, on any failure of a mirror.
                failure = e;
            }
        }
        throw failure ?? BerthException.Internal("pull: no endpoint");
    }

    /// <summary>docker pull --all-tags: every tag the registry lists for the repository, one pull each.</summary>
    public async Task<IReadOnlyList<PullResult>> PullAllTagsAsync(string text, Platform? platform, ITransferProgress progress, CancellationToken cancellationToken = default)
    {
        var reference = ParsePullReference(text);
        if (!Reference.TryParse(text, out var given) || !given.IsNameOnly)
            throw BerthException.InvalidArgument("tag can't be used with --all-tags/-a");
        var registries = RegistriesOrThrow;
        IReadOnlyList<string> tags;
        using (var client = registries.Client(registries.Hosts.ForPush(reference.Domain), reference.Domain))
            tags = await client.ListTagsAsync(reference.Path, cancellationToken).ConfigureAwait(false);
        var results = new List<PullResult>();
        foreach (var tag in tags.Where(Reference.IsValidTag))
            results.Add(await PullAsync(reference.WithNameOnly().WithTag(tag).ToString(), platform, progress, cancellationToken).ConfigureAwait(false));
        return results;
    }

    /// <summary>NAME[:TAG|@DIGEST] as docker pull takes it; docker's "invalid reference format" otherwise.</summary>
    public static Reference ParsePullReference(string text)
    {
        if (!Reference.TryParse(text, out var parsed))
            throw InvalidReference(text);
        return parsed.Digest is not null ? parsed.WithoutTag() : parsed.WithDefaultTag();
    }

    /// <summary>docker's (distribution's) words for a reference it cannot parse, naming the repository when it is not lowercase.</summary>
    public static BerthException InvalidReference(string text)
    {
        var name = text;
        var at = name.IndexOf('@');
        if (at >= 0)
            name = name[..at];
        var slash = name.LastIndexOf('/');
        var colon = name.LastIndexOf(':');
        if (colon > slash)
            name = name[..colon];
        var first = name.IndexOf('/');
        var remote = first > 0 && (name[..first].Contains('.') || name[..first].Contains(':') || name[..first] == "localhost")
            ? name[(first + 1)..]
            : first < 0 ? "library/" + name : name;
        return remote.Any(char.IsAsciiLetterUpper) && Reference.TryParse(text.ToLowerInvariant(), out _)
            ? BerthException.InvalidArgument($"invalid reference format: repository name ({remote}) must be lowercase")
            : BerthException.InvalidArgument("invalid reference format");
    }

    private async Task<PullResult> PullFromAsync(RegistryClient client, Reference reference, Platform platform, ITransferProgress progress, CancellationToken cancellationToken)
    {
        var repository = reference.Path;
        var wanted = reference.Digest?.ToString() ?? reference.Tag!;
        ManifestContent top;
        try
        {
            top = await client.GetManifestAsync(repository, wanted, cancellationToken).ConfigureAwait(false);
        }
        catch (BerthException e) when (e.Kind == ErrorKind.NotFound)
        {
            throw new BerthException(ErrorKind.NotFound, $"manifest for {reference} not found: {e.Message}", e);
        }
        catch (BerthException e) when (e.Kind is ErrorKind.Unauthorized or ErrorKind.PermissionDenied && !e.Message.EndsWith("no basic auth credentials", StringComparison.Ordinal))
        {
            throw new BerthException(e.Kind, $"pull access denied for {reference.WithNameOnly().Familiar}, repository does not exist or may require 'docker login': {e.Message}", e);
        }
        // docker names the pull only once the registry has the manifest.
        progress.Status($"{wanted}: Pulling from {repository}");

        ManifestContent? index = null;
        var manifest = top;
        if (MediaTypes.IsIndex(top.MediaType))
        {
            index = top;
            var parsed = ImageJson.ParseIndex(top.Bytes);
            var chosen = parsed.FindManifest(platform)
                ?? throw BerthException.NotFound($"no matching manifest for {platform} in the manifest list entries");
            manifest = await client.GetManifestAsync(repository, chosen.Digest, cancellationToken).ConfigureAwait(false);
            if (!MediaTypes.IsManifest(manifest.MediaType))
                throw BerthException.InvalidArgument($"manifest {chosen.Digest} of index {top.Digest}: not an image manifest ({manifest.MediaType})");
            if (manifest.Bytes.Length != chosen.Size)
                throw BerthException.FailedPrecondition($"manifest {chosen.Digest}: {manifest.Bytes.Length} bytes, the index says {chosen.Size}");
        }
        var image = ImageJson.ParseManifest(manifest.Bytes);
        if (image.Config.Size > ImageJson.MaxConfigBytes)
            throw BerthException.InvalidArgument($"manifest {manifest.Digest}: config of {image.Config.Size} bytes is larger than {ImageJson.MaxConfigBytes}");

        var name = reference.Digest is null ? reference.ToString() : null;
        var target = index is not null && platform.Matches(Platform.Host) ? index.Descriptor : manifest.Descriptor with { Platform = index is null ? null : platform };
        var records = await _images.Index.ListAsync(cancellationToken).ConfigureAwait(false);
        var upToDate = records.Any(r => r.Name == (name ?? reference.ToString()) && r.Target.Digest == target.Digest)
            && await HasAllAsync(image, cancellationToken).ConfigureAwait(false);
        if (!upToDate)
        {
            using var held = await WriterLockAsync(cancellationToken).ConfigureAwait(false);
            await BlobDownloader.FetchAsync(client, repository, image.Config, _images.Content, progress, null, cancellationToken).ConfigureAwait(false);
            await FetchLayersAsync(client, repository, image.Layers, progress, cancellationToken).ConfigureAwait(false);
            await StoreManifestAsync(manifest, cancellationToken).ConfigureAwait(false);
            if (index is not null)
                await StoreManifestAsync(index, cancellationToken).ConfigureAwait(false);
            var byDigest = reference.WithNameOnly().WithDigest(top.Digest).ToString();
            if (name is not null)
                await _images.SetNameAsync(name, target, cancellationToken).ConfigureAwait(false);
            await _images.Index.SetAsync(byDigest, target, cancellationToken).ConfigureAwait(false);
            foreach (var dangling in (await _images.Index.ListAsync(cancellationToken).ConfigureAwait(false)).Where(r => ImageStore.IsDanglingName(r.Name) && r.Target.Digest == target.Digest))
                await _images.Index.RemoveAsync(dangling.Name, cancellationToken).ConfigureAwait(false);
        }
        RecordSources(client, repository, image);
        progress.Status($"Digest: {top.Digest}");
        return new PullResult(reference, top.Digest, !upToDate);
    }

    private async Task<bool> HasAllAsync(Manifest image, CancellationToken cancellationToken)
    {
        foreach (var blob in image.Layers.Append(image.Config))
        {
            if (!await _images.Content.ExistsAsync(Digest.Parse(blob.Digest), cancellationToken).ConfigureAwait(false))
                return false;
        }
        return true;
    }

    private async Task FetchLayersAsync(RegistryClient client, string repository, IReadOnlyList<Descriptor> layers, ITransferProgress progress, CancellationToken cancellationToken)
    {
        var pending = new List<Descriptor>();
        foreach (var layer in layers)
        {
            if (MediaTypes.IsNondistributable(layer.MediaType) && layer.Urls is { Count: > 0 })
                throw new BerthException(ErrorKind.NotImplemented, $"layer {layer.Digest}: foreign layers (fetched from URLs) are not supported");
            var id = ShortId(layer.Digest);
            if (await _images.Content.ExistsAsync(Digest.Parse(layer.Digest), cancellationToken).ConfigureAwait(false))
            {
                progress.Layer(id, "Already exists");
                continue;
            }
            if (pending.Any(p => p.Digest == layer.Digest))
                continue;
            progress.Layer(id, "Pulling fs layer");
            pending.Add(layer);
        }
        await LayerTransfers.RunAsync(pending, RegistriesOrThrow.Parallelism, progress, async (layer, id, token) =>
        {
            await BlobDownloader.FetchAsync(client, repository, layer, _images.Content, progress, id, token).ConfigureAwait(false);
            progress.Layer(id, "Download complete");
        }, cancellationToken).ConfigureAwait(false);
        foreach (var layer in pending)
            progress.Layer(ShortId(layer.Digest), "Pull complete");
    }

    private async Task StoreManifestAsync(ManifestContent manifest, CancellationToken cancellationToken)
    {
        using var stream = new MemoryStream(manifest.Bytes, writable: false);
        await Berth.Images.Content.BlobIngest.WriteBlobAsync(_images.Content, "pull-" + manifest.Digest, stream, manifest.Digest, manifest.Bytes.Length, cancellationToken)
            .ConfigureAwait(false);
    }

    private void RecordSources(RegistryClient client, string repository, Manifest image)
    {
        try
        {
            BlobSources.Record(RegistriesOrThrow.SourcesPath, client.Endpoint.Host, repository, image.Layers.Append(image.Config).Select(l => l.Digest));
        }
        catch (IOException)
        {
            // Only a hint for later mounts.
        }
    }

    /// <summary>docker's short layer id: the first 12 hex digits of the digest.</summary>
    public static string ShortId(string digest)
    {
        var colon = digest.IndexOf(':');
        var hex = colon >= 0 ? digest[(colon + 1)..] : digest;
        return hex.Length > 12 ? hex[..12] : hex;
    }
}
