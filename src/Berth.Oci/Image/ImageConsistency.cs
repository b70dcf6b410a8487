using Berth.Errdefs;

namespace Berth.Oci.Image;

/// <summary>
/// Checks that an image's manifest and config describe the same layers, the part of image
/// validation that needs no blobs: one diff id per layer, one history entry per layer once
/// empty-layer steps are skipped, and a config and layers of media types an image may have.
/// Digests and sizes against the blobs themselves are the content store's to check.
/// </summary>
public static class ImageConsistency
{
    /// <summary>Throws InvalidArgument naming the first disagreement.</summary>
    public static void Check(Manifest manifest, ImageConfig config)
    {
        if (!MediaTypes.IsConfig(manifest.Config.MediaType))
            throw BerthException.InvalidArgument($"check image: config media type `{manifest.Config.MediaType}` is not an image config");
        for (var i = 0; i < manifest.Layers.Count; i++)
        {
            if (!MediaTypes.IsLayer(manifest.Layers[i].MediaType))
                throw BerthException.InvalidArgument($"check image: layer {i} media type `{manifest.Layers[i].MediaType}` is not a layer");
        }
        var diffIds = config.RootFs.DiffIds.Count;
        if (manifest.Layers.Count != diffIds)
            throw BerthException.InvalidArgument($"check image: the manifest has {manifest.Layers.Count} layers but the config has {diffIds} diff ids");
        if (config.History is { Count: > 0 } history)
        {
            var layered = history.Count(h => h.EmptyLayer != true);
            if (layered != diffIds)
                throw BerthException.InvalidArgument($"check image: the history has {layered} steps that made a layer but the config has {diffIds} diff ids");
        }
    }
}
