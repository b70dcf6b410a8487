using Berth.Linux.Files;
using System.Security.Cryptography;
using Berth.Errdefs;
using Berth.Oci;

namespace Berth.Images.Content;

/// <summary>
/// An open ingest of <see cref="FileContentStore"/>: appends to <c>data</c>, hashing as it goes,
/// and holds the ref's lock until committed or disposed.
/// </summary>
internal sealed class FileBlobWriter : IBlobWriter
{
    private readonly FileContentStore _store;
    private readonly string _directory;
    private readonly FileLock _lock;
    private readonly FileStream _data;
    private readonly IncrementalHash _hash;
    private readonly string _algorithm;
    private readonly Digest? _expectedDigest;
    private readonly long? _expectedSize;
    private bool _closed;

    public FileBlobWriter(
        FileContentStore store,
        string reference,
        string directory,
        FileLock held,
        FileStream data,
        IncrementalHash hash,
        string algorithm,
        Digest? expectedDigest,
        long? expectedSize)
    {
        _store = store;
        Reference = reference;
        _directory = directory;
        _lock = held;
        _data = data;
        _hash = hash;
        _algorithm = algorithm;
        _expectedDigest = expectedDigest;
        _expectedSize = expectedSize;
        Offset = data.Length;
        data.Position = Offset;
    }

    public string Reference { get; }

    public long Offset { get; private set; }

    public async Task WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken = default)
    {
        ThrowIfClosed();
        if (Offset + data.Length > _expectedSize)
            throw BerthException.FailedPrecondition(
                $"write ingest `{Reference}`: {Offset + data.Length} bytes exceed the expected size {_expectedSize}");
        await _data.WriteAsync(data, cancellationToken).ConfigureAwait(false);
        _hash.AppendData(data.Span);
        Offset += data.Length;
    }

    public async Task<BlobInfo> CommitAsync(Digest? expectedDigest = null, long? expectedSize = null, CancellationToken cancellationToken = default)
    {
        ThrowIfClosed();
        await _data.FlushAsync(cancellationToken).ConfigureAwait(false);
        _data.Flush(flushToDisk: true);

        foreach (var size in new[] { expectedSize, _expectedSize })
        {
            if (size is { } wanted && wanted != Offset)
                throw BerthException.FailedPrecondition(
                    $"commit ingest `{Reference}`: unexpected size {Offset}, expected {wanted}");
        }

        var actual = Digest.FromHash(_algorithm, _hash.GetCurrentHash());
        foreach (var digest in new[] { expectedDigest, _expectedDigest })
        {
            if (digest is not { } wanted)
                continue;
            // A digest of another algorithm than the one hashed while writing: hash the file again.
            var compared = wanted.Algorithm == _algorithm
                ? actual
                : await FileContentStore.HashFileAsync(_data.Name, wanted.Algorithm, cancellationToken).ConfigureAwait(false);
            if (compared != wanted)
                throw BerthException.FailedPrecondition(
                    $"commit ingest `{Reference}`: unexpected digest `{compared}`, expected `{wanted}`");
            actual = wanted;
        }

        var path = _data.Name;
        await _data.DisposeAsync().ConfigureAwait(false);
        _closed = true;
        try
        {
            var info = _store.Publish(path, actual, Offset);
            RemoveIngest();
            return info;
        }
        catch (BerthException e) when (e.Kind == ErrorKind.AlreadyExists)
        {
            // Already present: this ingest is finished too.
            RemoveIngest();
            throw;
        }
        finally
        {
            // Any other failure keeps the verified bytes in the ingest, to commit again later.
            Release();
        }
    }

    /// <summary>
    /// Best effort: a Begin of the same ref racing with this commit may have put a file in the
    /// directory, which then stays for that writer (or the startup check) to clean up.
    /// </summary>
    private void RemoveIngest()
    {
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_closed)
        {
            _closed = true;
            await _data.DisposeAsync().ConfigureAwait(false);
        }
        Release();
    }

    private void Release()
    {
        _hash.Dispose();
        _lock.Dispose();
    }

    private void ThrowIfClosed()
    {
        if (_closed)
            throw BerthException.FailedPrecondition($"ingest `{Reference}`: writer is closed");
    }
}
