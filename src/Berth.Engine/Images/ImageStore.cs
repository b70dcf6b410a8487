using System.Text.RegularExpressions;
using Berth.Errdefs;
using Berth.Images.Content;
using Berth.Images.Index;
using Berth.Oci;
using Berth.Oci.Image;
using Berth.Oci.References;

namespace Berth.Engine.Images;

/// <summary>
/// The engine's view of the image store: a content store and an image index sharing one root
/// (an OCI image layout), with docker's rules for finding an image by what a person types —
/// a name (normalized: <c>busybox</c> is <c>docker.io/library/busybox:latest</c>), a
/// <c>name@sha256:…</c> digest, a full <c>sha256:</c> id or a unique prefix of one.
/// <para>
/// An image keeps existing when its last tag moves elsewhere, as docker's dangling
/// <c>&lt;none&gt;:&lt;none&gt;</c> images do: the index then holds it under its manifest digest
/// (see <see cref="IsDanglingName"/>) until <c>image prune</c> or <c>rmi</c> removes it.
/// </para>
/// </summary>
public sealed partial class ImageStore
{
    public ImageStore(string root)
    {
        Content = new FileContentStore(root);
        Index = new ImageIndex(root);
    }

    public FileContentStore Content { get; }

    public ImageIndex Index { get; }

    /// <summary>A name that only keeps an untagged image in the index: its manifest digest.</summary>
    public static bool IsDanglingName(string name) => name.StartsWith("sha256:", StringComparison.Ordinal);

    /// <summary>Every image, once per manifest, with all its names.</summary>
    public async Task<IReadOnlyList<ImageInfo>> ListAsync(CancellationToken cancellationToken = default)
    {
        var records = await Index.ListAsync(cancellationToken).ConfigureAwait(false);
        var images = new List<ImageInfo>();
        foreach (var group in records.GroupBy(r => r.Target.Digest))
        {
            try
            {
                images.Add(await LoadAsync(group.First().Target, group.Select(r => r.Name).ToList(), cancellationToken).ConfigureAwait(false));
            }
            catch (BerthException e) when (e.Kind is ErrorKind.NotFound or ErrorKind.InvalidArgument)
            {
                // An entry whose blobs are gone (another tool changed the layout): not an image we can use.
            }
        }
        return images;
    }

    /// <summary>
    /// Finds an image as docker does. NotFound is docker's "No such image: REF"; an ambiguous id
    /// prefix is InvalidArgument.
    /// </summary>
    public async Task<ImageInfo> ResolveAsync(string text, CancellationToken cancellationToken = default)
    {
        var match = await TryResolveAsync(text, cancellationToken).ConfigureAwait(false);
        return match ?? throw BerthException.NotFound($"No such image: {text}");
    }

    public async Task<ImageInfo?> TryResolveAsync(string text, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrEmpty(text))
            throw BerthException.InvalidArgument("invalid reference format: empty image name");
        var records = await Index.ListAsync(cancellationToken).ConfigureAwait(false);

        var idText = text.StartsWith("sha256:", StringComparison.Ordinal) ? text["sha256:".Length..] : null;
        if (idText is null && Reference.TryParse(text, out var reference))
        {
            var name = reference.Digest is null ? reference.WithDefaultTag().ToString() : reference.ToString();
            if (records.FirstOrDefault(r => r.Name == name) is { } named)
                return await LoadWithNamesAsync(named.Target, records, cancellationToken).ConfigureAwait(false);
            if (reference.Digest is { } digest)
            {
                // name@digest: any image of that repository whose manifest has the digest.
                var repo = reference.WithNameOnly().ToString();
                foreach (var r in records.Where(r => r.Target.Digest == digest.ToString()))
                {
                    var info = await LoadWithNamesAsync(r.Target, records, cancellationToken).ConfigureAwait(false);
                    if (info.Names.Any(n => n.StartsWith(repo + ":", StringComparison.Ordinal) || n.StartsWith(repo + "@", StringComparison.Ordinal)))
                        return info;
                }
            }
            if (!HexPrefix().IsMatch(text))
                return null;
            idText = text;
        }
        else if (idText is null)
        {
            // Neither a reference nor an id: docker's message for a name it cannot parse.
            throw BerthException.InvalidArgument(text.Any(char.IsUpper)
                ? $"invalid reference format: repository name ({(text.Contains('/') ? text : "library/" + text)}) must be lowercase"
                : $"invalid reference format: `{text}`");
        }
        if (idText is null || !HexPrefix().IsMatch(idText))
            return idText is null ? null : throw BerthException.InvalidArgument($"invalid reference format: `{text}`");

        ImageInfo? found = null;
        foreach (var group in records.GroupBy(r => r.Target.Digest))
        {
            ImageInfo info;
            try
            {
                info = await LoadWithNamesAsync(group.First().Target, records, cancellationToken).ConfigureAwait(false);
            }
            catch (BerthException e) when (e.Kind is ErrorKind.NotFound or ErrorKind.InvalidArgument)
            {
                continue;
            }
            if (!info.Id.Encoded.StartsWith(idText, StringComparison.Ordinal))
                continue;
            if (found is not null && found.Id != info.Id)
                throw BerthException.InvalidArgument($"image id prefix `{text}` is ambiguous: it matches {found.Id} and {info.Id}");
            found = info;
        }
        return found;
    }

    /// <summary>Points <paramref name="name"/> (normalized) at an image; the image it named before keeps existing, dangling if that was its last name.</summary>
    public async Task SetNameAsync(string name, Descriptor target, CancellationToken cancellationToken = default)
    {
        var records = await Index.ListAsync(cancellationToken).ConfigureAwait(false);
        var previous = records.FirstOrDefault(r => r.Name == name);
        await Index.SetAsync(name, target, cancellationToken).ConfigureAwait(false);
        foreach (var dangling in records.Where(r => IsDanglingName(r.Name) && r.Target.Digest == target.Digest))
            await Index.RemoveAsync(dangling.Name, cancellationToken).ConfigureAwait(false);
        if (previous is not null && previous.Target.Digest != target.Digest
            && !records.Any(r => r.Name != name && r.Target.Digest == previous.Target.Digest))
        {
            await Index.SetAsync(previous.Target.Digest, previous.Target, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Reads the manifest (choosing this host's platform from an index) and the config a descriptor leads to.</summary>
    public Task<ImageInfo> LoadAsync(Descriptor target, IReadOnlyList<string> names, CancellationToken cancellationToken = default) =>
        LoadCoreAsync(target, names, cancellationToken);

    private async Task<ImageInfo> LoadWithNamesAsync(Descriptor target, IReadOnlyList<ImageRecord> records, CancellationToken cancellationToken) =>
        await LoadCoreAsync(target, records.Where(r => r.Target.Digest == target.Digest).Select(r => r.Name).ToList(), cancellationToken)
            .ConfigureAwait(false);

    private async Task<ImageInfo> LoadCoreAsync(Descriptor target, IReadOnlyList<string> names, CancellationToken cancellationToken)
    {
        var manifestDescriptor = target;
        if (MediaTypes.IsIndex(target.MediaType))
        {
            var index = ImageJson.ParseIndex(await ReadBlobAsync(target, cancellationToken).ConfigureAwait(false));
            var host = Platform.Host;
            manifestDescriptor = index.Manifests.FirstOrDefault(m => MediaTypes.IsManifest(m.MediaType) && (m.Platform is null || host.Matches(m.Platform)))
                ?? throw BerthException.NotFound($"image {target.Digest}: no manifest for platform {host}");
        }
        var manifest = ImageJson.ParseManifest(await ReadBlobAsync(manifestDescriptor, cancellationToken).ConfigureAwait(false));
        var config = ImageJson.ParseConfig(await ReadBlobAsync(manifest.Config, cancellationToken).ConfigureAwait(false));
        return new ImageInfo(target, manifestDescriptor, manifest, config, Digest.Parse(manifest.Config.Digest), names);
    }

    /// <summary>Reads a small JSON blob whole, checking its size against the descriptor.</summary>
    public async Task<byte[]> ReadBlobAsync(Descriptor descriptor, CancellationToken cancellationToken = default)
    {
        var digest = Digest.Parse(descriptor.Digest);
        if (descriptor.Size > ImageJson.MaxConfigBytes)
            throw BerthException.InvalidArgument($"blob {digest}: {descriptor.Size} bytes is too large for a manifest or config");
        await using var stream = await Content.OpenReadAsync(digest, cancellationToken).ConfigureAwait(false);
        var bytes = new byte[descriptor.Size];
        await stream.ReadExactlyAsync(bytes, cancellationToken).ConfigureAwait(false);
        if (stream.ReadByte() != -1)
            throw BerthException.InvalidArgument($"blob {digest}: larger than its descriptor's {descriptor.Size} bytes");
        return bytes;
    }

    [GeneratedRegex("^[0-9a-f]{1,64}$")]
    private static partial Regex HexPrefix();
}
