using Berth.Linux.Files;
using System.Security.Cryptography;
using System.Text;
using Berth.Errdefs;
using Berth.Oci;

namespace Berth.Images.Content;

public sealed partial class FileContentStore
{
    public async Task<IBlobWriter> BeginAsync(
        string reference,
        Digest? expectedDigest = null,
        long? expectedSize = null,
        CancellationToken cancellationToken = default)
    {
        ValidateReference(reference);
        if (expectedSize < 0)
            throw BerthException.InvalidArgument($"begin ingest `{reference}`: negative expected size {expectedSize}");
        if (expectedDigest is { } wanted && File.Exists(BlobPath(wanted)))
            throw BerthException.AlreadyExists($"content `{wanted}`: already exists");

        var directory = IngestPath(reference);
        var lockPath = Path.Combine(directory, "lock");
        FileLock? held = null;
        // A commit or abort of the same ref may remove the directory between creating it and
        // locking: then create it again.
        while (held is null)
        {
            Directory.CreateDirectory(directory);
            try
            {
                held = FileLock.TryAcquire(lockPath)
                    ?? throw new BerthException(ErrorKind.Unavailable, $"begin ingest `{reference}`: ref is locked by another writer");
            }
            catch (BerthException e) when (e.Kind == ErrorKind.NotFound)
            {
            }
        }

        try
        {
            var refFile = Path.Combine(directory, "ref");
            if (!File.Exists(refFile))
                await File.WriteAllTextAsync(refFile, reference, cancellationToken).ConfigureAwait(false);
            var stored = await ReadExpectedAsync(directory, cancellationToken).ConfigureAwait(false);
            expectedDigest ??= stored.Digest;
            expectedSize ??= stored.Size;
            await File.WriteAllTextAsync(
                Path.Combine(directory, "expected"), $"{expectedDigest}\n{expectedSize}\n", cancellationToken).ConfigureAwait(false);

            var algorithm = expectedDigest?.Algorithm ?? "sha256";
            // Unbuffered: each write reaches the file, so the Status of a live ingest is exact.
            var data = new FileStream(
                Path.Combine(directory, "data"), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read, bufferSize: 0, useAsync: true);
            IncrementalHash? hash = null;
            try
            {
                hash = NewHash(algorithm);
                // Resume: what a previous writer left is re-hashed, never trusted.
                var buffer = new byte[BufferSize];
                int read;
                while ((read = await data.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
                    hash.AppendData(buffer, 0, read);
                return new FileBlobWriter(this, reference, directory, held, data, hash, algorithm, expectedDigest, expectedSize);
            }
            catch
            {
                hash?.Dispose();
                await data.DisposeAsync().ConfigureAwait(false);
                throw;
            }
        }
        catch
        {
            held.Dispose();
            throw;
        }
    }

    public async Task<IngestStatus> StatusAsync(string reference, CancellationToken cancellationToken = default)
    {
        ValidateReference(reference);
        var directory = IngestPath(reference);
        var refFile = new FileInfo(Path.Combine(directory, "ref"));
        if (!refFile.Exists)
            throw BerthException.NotFound($"ingest `{reference}`: not found");
        var data = new FileInfo(Path.Combine(directory, "data"));
        var expected = await ReadExpectedAsync(directory, cancellationToken).ConfigureAwait(false);
        var offset = data.Exists ? data.Length : 0;
        var updated = data.Exists ? data.LastWriteTimeUtc : refFile.LastWriteTimeUtc;
        return new IngestStatus(reference, offset, expected.Digest, expected.Size,
            new DateTimeOffset(refFile.LastWriteTimeUtc), new DateTimeOffset(updated));
    }

    public async Task<IReadOnlyList<IngestStatus>> ListStatusesAsync(CancellationToken cancellationToken = default)
    {
        var statuses = new List<IngestStatus>();
        foreach (var directory in Directory.EnumerateDirectories(IngestDirectory))
        {
            string reference;
            try
            {
                reference = await File.ReadAllTextAsync(Path.Combine(directory, "ref"), cancellationToken).ConfigureAwait(false);
                statuses.Add(await StatusAsync(reference, cancellationToken).ConfigureAwait(false));
            }
            catch (Exception e) when (e is IOException || e is BerthException { Kind: ErrorKind.NotFound or ErrorKind.InvalidArgument })
            {
                // Committed, aborted or half-created while listing: not an ingest to report.
            }
        }
        return statuses;
    }

    public Task AbortAsync(string reference, CancellationToken cancellationToken = default)
    {
        ValidateReference(reference);
        cancellationToken.ThrowIfCancellationRequested();
        var directory = IngestPath(reference);
        if (!Directory.Exists(directory))
            throw BerthException.NotFound($"ingest `{reference}`: not found");
        using var held = FileLock.TryAcquire(Path.Combine(directory, "lock"))
            ?? throw new BerthException(ErrorKind.Unavailable, $"abort ingest `{reference}`: ref is locked by another writer");
        Directory.Delete(directory, recursive: true);
        return Task.CompletedTask;
    }

    /// <summary>
    /// Publishes a verified ingest file under its digest: read-only, renamed without replacing,
    /// directory fsynced. AlreadyExists (and the ingest file removed) when the blob is present.
    /// </summary>
    internal BlobInfo Publish(string dataPath, Digest digest, long size)
    {
        var target = BlobPath(digest);
        if (File.Exists(target))
        {
            File.Delete(dataPath);
            throw BerthException.AlreadyExists($"content `{digest}`: already exists");
        }
        File.SetUnixFileMode(dataPath, UnixFileMode.UserRead | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        var directory = Path.GetDirectoryName(target)!;
        Durable.EnsureDirectory(directory);
        try
        {
            File.Move(dataPath, target, overwrite: false);
        }
        catch (IOException) when (File.Exists(target))
        {
            // Another writer of the same content committed first.
            File.Delete(dataPath);
            throw BerthException.AlreadyExists($"content `{digest}`: already exists");
        }
        Durable.FsyncDirectory(directory);
        return new BlobInfo(digest, size);
    }

    private string IngestPath(string reference)
    {
        // The ref is the caller's text: hash it for a safe directory name, as containerd does.
        var name = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(reference)));
        return Path.Combine(IngestDirectory, name);
    }

    private static async Task<(Digest? Digest, long? Size)> ReadExpectedAsync(string directory, CancellationToken cancellationToken)
    {
        var path = Path.Combine(directory, "expected");
        if (!File.Exists(path))
            return (null, null);
        // Written by this store; a torn one (crash mid-write) just means "nothing expected".
        var lines = (await File.ReadAllTextAsync(path, cancellationToken).ConfigureAwait(false)).Split('\n');
        Digest? digest = lines.Length > 0 && Digest.TryParse(lines[0], out var d) ? d : null;
        long? size = lines.Length > 1 && long.TryParse(lines[1], out var s) && s >= 0 ? s : null;
        return (digest, size);
    }

    private static void ValidateReference(string reference)
    {
        if (string.IsNullOrEmpty(reference))
            throw BerthException.InvalidArgument("ingest: empty ref");
        if (reference.Length > 4096 || reference.Any(char.IsControl))
            throw BerthException.InvalidArgument($"ingest `{reference.ReplaceLineEndings(" ")}`: ref has control characters or is too long");
    }
}
