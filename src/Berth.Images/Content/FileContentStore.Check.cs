using Berth.Linux.Files;
using Berth.Errdefs;
using Berth.Oci;

namespace Berth.Images.Content;

public sealed partial class FileContentStore
{
    /// <summary>
    /// The startup check. Removes ingests not written to for <paramref name="staleAfter"/> and not
    /// held by a live writer (a crashed pull or build leaves them), and hashes every blob to report
    /// those whose content does not match their name (a truncated or altered file). Blobs are never
    /// removed here. Safe to run while other processes use the store.
    /// </summary>
    public async Task<ContentCheckReport> CheckAsync(TimeSpan staleAfter, CancellationToken cancellationToken = default)
    {
        var removed = RemoveStaleIngests(DateTime.UtcNow - staleAfter, cancellationToken);

        var corrupt = new List<CorruptBlob>();
        foreach (var (digest, file) in EnumerateBlobs())
        {
            var actual = await HashFileAsync(file.FullName, digest.Algorithm, cancellationToken).ConfigureAwait(false);
            if (actual is { } a && a != digest)
                corrupt.Add(new CorruptBlob(digest, a, file.Length));
        }

        var stray = new List<string>();
        foreach (var entry in new DirectoryInfo(BlobsDirectory).EnumerateFileSystemInfos("*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(BlobsDirectory, entry.FullName);
            var isBlob = entry is FileInfo && Digest.TryParse(relative.Replace('/', ':'), out _);
            var isAlgorithmDirectory = entry is DirectoryInfo && !relative.Contains('/');
            if (!isBlob && !isAlgorithmDirectory)
                stray.Add(Path.Combine("blobs", relative));
        }
        return new ContentCheckReport(removed, corrupt, stray);
    }

    private List<string> RemoveStaleIngests(DateTime cutoffUtc, CancellationToken cancellationToken)
    {
        var removed = new List<string>();
        foreach (var directory in new DirectoryInfo(IngestDirectory).EnumerateDirectories())
        {
            cancellationToken.ThrowIfCancellationRequested();
            var lastWrite = directory.EnumerateFiles().Select(f => f.LastWriteTimeUtc).DefaultIfEmpty(directory.LastWriteTimeUtc).Max();
            if (lastWrite > cutoffUtc)
                continue;
            FileLock? held;
            try
            {
                held = FileLock.TryAcquire(Path.Combine(directory.FullName, "lock"));
            }
            catch (BerthException e) when (e.Kind == ErrorKind.NotFound)
            {
                continue; // committed or aborted meanwhile
            }
            if (held is null)
                continue; // a live writer
            using var _ = held;
            var refFile = Path.Combine(directory.FullName, "ref");
            removed.Add(File.Exists(refFile) ? File.ReadAllText(refFile) : directory.Name);
            directory.Delete(recursive: true);
        }
        return removed;
    }
}
