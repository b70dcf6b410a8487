using Berth.Oci;

namespace Berth.Images.Content;

/// <summary>
/// What <see cref="FileContentStore.CheckAsync"/> found: the ingests it removed as stale, the blobs
/// whose content does not match their name (reported, not removed: deciding is the caller's), and
/// files in blobs/ that are not named by a digest.
/// </summary>
public sealed record ContentCheckReport(
    IReadOnlyList<string> RemovedIngests,
    IReadOnlyList<CorruptBlob> CorruptBlobs,
    IReadOnlyList<string> StrayFiles)
{
    public bool Clean => CorruptBlobs.Count == 0 && StrayFiles.Count == 0;
}
