using Berth.Errdefs;
using Berth.Images.Content;
using Berth.Images.Mutate;
using Berth.Oci;
using Berth.Oci.Image;

namespace Berth.Images.Archive;

/// <summary>
/// An image resolved for saving: the manifest written (for an index target, the host's
/// platform manifest), its parsed manifest and config, and the blobs it needs.
/// </summary>
internal sealed record SavedImage(Descriptor Manifest, ParentImage Image, IReadOnlyList<string> Names)
{
    public Digest ConfigDigest => Digest.Parse(Image.Manifest.Config.Digest);

    public IEnumerable<Digest> Blobs =>
        Image.Manifest.Layers.Select(l => Digest.Parse(l.Digest)).Append(ConfigDigest).Append(Digest.Parse(Manifest.Digest));

    public static async Task<SavedImage> ResolveAsync(IBlobReader store, ArchiveImage image, CancellationToken cancellationToken)
    {
        var target = image.Manifest;
        if (MediaTypes.IsIndex(target.MediaType))
        {
            var bytes = await ReadAsync(store, Digest.Parse(target.Digest), cancellationToken).ConfigureAwait(false);
            target = ImageJson.ParseIndex(bytes).FindManifest(Platform.Host)
                ?? throw BerthException.NotFound($"save image `{image.Manifest.Digest}`: no manifest for {Platform.Host} in the index");
        }
        var parent = await ParentImage.LoadAsync(store, target, cancellationToken).ConfigureAwait(false);
        foreach (var layer in parent.Manifest.Layers)
        {
            if (!await store.ExistsAsync(Digest.Parse(layer.Digest), cancellationToken).ConfigureAwait(false))
                throw BerthException.NotFound($"save image `{target.Digest}`: layer `{layer.Digest}` is not in the store");
        }
        return new SavedImage(new Descriptor { MediaType = target.MediaType, Digest = target.Digest, Size = target.Size }, parent, image.Names);
    }

    private static async Task<byte[]> ReadAsync(IBlobReader store, Digest digest, CancellationToken cancellationToken)
    {
        var stream = await store.OpenReadAsync(digest, cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            var buffer = new MemoryStream();
            await stream.CopyToAsync(buffer, cancellationToken).ConfigureAwait(false);
            return buffer.ToArray();
        }
    }
}
