using Berth.Oci;
using Berth.Oci.Image;

namespace Berth.Engine.Images;

/// <summary>
/// One image as the engine sees it: the manifest chosen for this host, its config, and every
/// name that points at it. <see cref="Id"/> is the config digest, as docker's image id.
/// <see cref="Target"/> is what the names point at (the manifest, or an index holding it).
/// </summary>
public sealed record ImageInfo(
    Descriptor Target,
    Descriptor ManifestDescriptor,
    Manifest Manifest,
    ImageConfig Config,
    Digest Id,
    IReadOnlyList<string> Names)
{
    /// <summary>The normalized name:tag names, without dangling placeholders.</summary>
    public IEnumerable<string> Tags => Names.Where(n => !ImageStore.IsDanglingName(n) && !n.Contains('@'));

    /// <summary>The name@digest names (RepoDigests).</summary>
    public IEnumerable<string> Digests => Names.Where(n => n.Contains('@') && !ImageStore.IsDanglingName(n));

    /// <summary>Layer bytes as stored: docker reports the unpacked size; compressed blobs make this smaller.</summary>
    public long Size => Manifest.Layers.Sum(l => l.Size);

    public DateTimeOffset? Created =>
        DateTimeOffset.TryParse(Config.Created, System.Globalization.CultureInfo.InvariantCulture,
            System.Globalization.DateTimeStyles.AssumeUniversal, out var created) ? created : null;
}
