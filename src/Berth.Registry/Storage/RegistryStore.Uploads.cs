using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Berth.Errdefs;
using Berth.Oci;

namespace Berth.Registry.Storage;

/// <summary>
/// Uploads: data is appended to <c>uploads/ID/data</c>, which no reader ever serves; at the end it is
/// hashed whole (so an upload resumed after a restart needs no saved hash state) and only a match is
/// renamed into <c>blobs/</c>. A registry killed at any point leaves either a partial upload, which can
/// be resumed from its size or expires, or a complete blob — never a partial blob.
/// </summary>
public sealed partial class RegistryStore
{
    // One writer per upload at a time: two PATCHes racing on one file would interleave.
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _uploadGates = new(StringComparer.Ordinal);

    /// <summary>Starts an upload for a repository; returns its id.</summary>
    public string StartUpload(string repository)
    {
        var id = Guid.NewGuid().ToString("N");
        var info = repository + "\n" + DateTime.UtcNow.Ticks.ToString(CultureInfo.InvariantCulture) + "\n";
        _driver.PutContent(RegistryLayout.UploadInfo(id), Encoding.UTF8.GetBytes(info));
        using (_driver.OpenAppend(RegistryLayout.UploadData(id)))
        {
        }
        return id;
    }

    /// <summary>The size received so far of an upload of this repository; null when there is no such upload.</summary>
    public long? UploadSize(string repository, string id)
    {
        if (!RegistryLayout.IsUploadId(id) || UploadRepository(id) != repository)
            return null;
        return _driver.Stat(RegistryLayout.UploadData(id))?.Size;
    }

    private string? UploadRepository(string id)
    {
        var info = _driver.GetContent(RegistryLayout.UploadInfo(id), 4096);
        if (info is null)
            return null;
        var text = Encoding.UTF8.GetString(info);
        var newline = text.IndexOf('\n');
        return newline > 0 ? text[..newline] : null;
    }

    /// <summary>
    /// Appends a chunk. <paramref name="start"/>, when the client sent a Content-Range, must equal the
    /// size so far (Conflict otherwise: the caller answers 416 with the real range). Returns the new size.
    /// NotFound when there is no such upload.
    /// </summary>
    public async Task<long> AppendAsync(string repository, string id, Stream body, long? start, long? length, CancellationToken cancellationToken)
    {
        var gate = _uploadGates.GetOrAdd(id, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var size = UploadSize(repository, id) ?? throw BerthException.NotFound($"upload `{id}`: not found");
            if (start is { } s && s != size)
                throw BerthException.Conflict($"upload `{id}`: chunk starts at {s}, but {size} bytes are received");
            await using var data = _driver.OpenAppend(RegistryLayout.UploadData(id));
            var copied = await CopyAsync(body, data, cancellationToken).ConfigureAwait(false);
            if (length is { } expected && copied != expected)
                throw BerthException.InvalidArgument($"upload `{id}`: chunk is {copied} bytes, its range says {expected}");
            return size + copied;
        }
        finally
        {
            gate.Release();
        }
    }

    private static async Task<long> CopyAsync(Stream from, Stream to, CancellationToken cancellationToken)
    {
        var buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(128 * 1024);
        try
        {
            long total = 0;
            int n;
            while ((n = await from.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
            {
                await to.WriteAsync(buffer.AsMemory(0, n), cancellationToken).ConfigureAwait(false);
                total += n;
            }
            return total;
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>
    /// Ends an upload (after appending <paramref name="lastChunk"/> if any): hashes what was received,
    /// and when it matches <paramref name="digest"/> makes it the blob and links it into the repository.
    /// InvalidArgument, and the upload removed, when it does not match (nothing is stored); NotFound
    /// when there is no such upload.
    /// </summary>
    public async Task<BlobInfo> CompleteAsync(string repository, string id, Digest digest, Stream? lastChunk, CancellationToken cancellationToken)
    {
        if (lastChunk is not null)
            await AppendAsync(repository, id, lastChunk, null, null, cancellationToken).ConfigureAwait(false);
        var gate = _uploadGates.GetOrAdd(id, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var size = UploadSize(repository, id) ?? throw BerthException.NotFound($"upload `{id}`: not found");
            var data = RegistryLayout.UploadData(id);
            Digest actual;
            await using (var stream = _driver.OpenRead(data) ?? throw BerthException.NotFound($"upload `{id}`: not found"))
                actual = await HashAsync(stream, digest.Algorithm, cancellationToken).ConfigureAwait(false);
            if (actual != digest)
            {
                _driver.Delete(RegistryLayout.Upload(id));
                throw BerthException.InvalidArgument($"upload `{id}`: content has digest `{actual}`, not `{digest}`");
            }
            using (await PushLockAsync(cancellationToken).ConfigureAwait(false))
            {
                var blob = RegistryLayout.Blob(digest);
                if (!HasContent(digest))
                    _driver.Move(data, blob);
                Link(repository, digest);
            }
            _driver.Delete(RegistryLayout.Upload(id));
            return new BlobInfo(digest, size, RegistryLayout.Blob(digest));
        }
        finally
        {
            gate.Release();
            _uploadGates.TryRemove(id, out _);
        }
    }

    /// <summary>Cancels an upload; false when there is none.</summary>
    public bool CancelUpload(string repository, string id)
    {
        if (UploadSize(repository, id) is null)
            return false;
        _driver.Delete(RegistryLayout.Upload(id));
        return true;
    }

    /// <summary>
    /// Removes uploads whose data was last written before <paramref name="cutoffUtc"/> (abandoned ones,
    /// or debris of a crash); returns how many. An upload being written right now has a fresh time.
    /// </summary>
    public int PurgeUploads(DateTime cutoffUtc)
    {
        var purged = 0;
        foreach (var id in _driver.List(RegistryLayout.Uploads))
        {
            if (!RegistryLayout.IsUploadId(id) || _uploadGates.TryGetValue(id, out var gate) && gate.CurrentCount == 0)
                continue;
            var stat = _driver.Stat(RegistryLayout.UploadData(id)) ?? _driver.Stat(RegistryLayout.Upload(id));
            if (stat is { } s && s.ModifiedUtc < cutoffUtc)
            {
                _driver.Delete(RegistryLayout.Upload(id));
                _uploadGates.TryRemove(id, out _);
                purged++;
            }
        }
        return purged;
    }

    public static async Task<Digest> HashAsync(Stream stream, string algorithm, CancellationToken cancellationToken)
    {
        using var hash = IncrementalHash.CreateHash(algorithm == "sha512" ? HashAlgorithmName.SHA512 : HashAlgorithmName.SHA256);
        var buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(256 * 1024);
        try
        {
            int n;
            while ((n = await stream.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
                hash.AppendData(buffer, 0, n);
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
        }
        return Digest.FromHash(algorithm, hash.GetHashAndReset());
    }
}
