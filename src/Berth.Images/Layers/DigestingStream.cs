using System.Security.Cryptography;
using Berth.Errdefs;
using Berth.Oci;

namespace Berth.Images.Layers;

/// <summary>
/// A read-only pass-through over the uncompressed tar that hashes and counts every byte
/// (the DiffID), enforces the size limit, and can record the raw bytes of the headers the
/// tar reader consumes, so binary PAX values (xattrs) can be read without a UTF-8 round trip.
/// </summary>
internal sealed class DigestingStream : Stream
{
    private const int MaxRecording = 4 << 20;
    private readonly Stream _inner;
    private readonly long _limit;
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private MemoryStream? _recording;

    public DigestingStream(Stream inner, long limit)
    {
        _inner = inner;
        _limit = limit;
    }

    public long Count { get; private set; }

    public void StartRecording() => _recording = new MemoryStream();

    /// <summary>Stops recording and returns the bytes read since <see cref="StartRecording"/>, or null past the cap.</summary>
    public byte[]? StopRecording()
    {
        var r = _recording;
        _recording = null;
        return r is null || r.Length > MaxRecording ? null : r.ToArray();
    }

    public Digest Finish() => Digest.FromHash("sha256", _hash.GetHashAndReset());

    public override int Read(Span<byte> buffer)
    {
        var n = _inner.Read(buffer);
        Account(buffer[..n]);
        return n;
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var n = await _inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        Account(buffer.Span[..n]);
        return n;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    private void Account(ReadOnlySpan<byte> data)
    {
        Count += data.Length;
        if (Count > _limit)
        {
            throw BerthException.InvalidArgument($"layer is larger than the limit of {_limit} bytes");
        }

        _hash.AppendData(data);
        if (_recording is { } r && r.Length <= MaxRecording)
        {
            r.Write(data);
        }
    }

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => Count; set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _hash.Dispose();
            _inner.Dispose();
        }

        base.Dispose(disposing);
    }
}
