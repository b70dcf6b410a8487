using Berth.Errdefs;
using Berth.Images.Content;
using Berth.Oci;
using Berth.Oci.Image;

namespace Berth.Images.Mutate;

/// <summary>
/// The image a new image is built on: its manifest and config, as read from the content store.
/// <see cref="LoadAsync"/> reads both and checks they agree (<see cref="ImageConsistency"/>); a
/// missing blob is NotFound, a manifest or config that does not parse is InvalidArgument.
/// </summary>
public sealed record ParentImage(Manifest Manifest, ImageConfig Config)
{
    public static async Task<ParentImage> LoadAsync(IBlobReader store, Descriptor manifest, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(manifest);
        try
        {
            if (!MediaTypes.IsManifest(manifest.MediaType))
                throw BerthException.InvalidArgument($"media type `{manifest.MediaType}` is not an image manifest");
            var parsed = ImageJson.ParseManifest(await BlobBytes.ReadAsync(store, Digest.Parse(manifest.Digest), ImageJson.MaxManifestBytes, cancellationToken).ConfigureAwait(false));
            var config = ImageJson.ParseConfig(await BlobBytes.ReadAsync(store, Digest.Parse(parsed.Config.Digest), ImageJson.MaxConfigBytes, cancellationToken).ConfigureAwait(false));
            ImageConsistency.Check(parsed, config);
            return new ParentImage(parsed, config);
        }
        catch (BerthException e)
        {
            throw e.Wrap($"load image `{manifest.Digest}`");
        }
    }
}
