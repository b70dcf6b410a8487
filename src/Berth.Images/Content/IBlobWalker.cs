namespace Berth.Images.Content;

/// <summary>
/// Lists committed blobs, in no particular order. In-progress ingests are not blobs and are not
/// listed; files that are not named by a valid digest are skipped.
/// </summary>
public interface IBlobWalker
{
    IAsyncEnumerable<BlobInfo> WalkAsync(CancellationToken cancellationToken = default);
}
