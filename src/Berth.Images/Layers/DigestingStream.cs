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
    private readonly Stream _inner;
    private readonly long _limit;
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private MemoryStream? _recording;
    private int _guarded; // how far into the recording metadata headers have been checked

    public DigestingStream(Stream inner, long limit)
    {
        _inner = inner;
        _limit = limit;
    }

    public long Count { get; private set; }

    /// <summary>Largest PAX or GNU long-name block accepted; checked before the tar reader allocates it.</summary>
    public int MaxMetadataSize { get; init; } = 1 << 20;

    public void StartRecording()
    {
        _recording = new MemoryStream();
        _guarded = -1;
    }

    /// <summary>Stops recording and returns the bytes read since <see cref="StartRecording"/>, or null past the cap.</summary>
    public byte[]? StopRecording()
    {
        var r = _recording;
        _recording = null;
        return r?.ToArray();
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
        if (_recording is { } r)
        {
            // The headers of one entry: at most padding, a PAX block, two GNU long names and
            // the entry's own header, each bounded by MaxMetadataSize; more is not a tar.
            if (r.Length + data.Length > 4L * MaxMetadataSize + 4096)
            {
                throw BerthException.InvalidArgument($"headers of one entry larger than {4L * MaxMetadataSize + 4096} bytes");
            }

            r.Write(data);
            GuardMetadataHeaders(r);
        }
    }

    /// <summary>
    /// System.Formats.Tar allocates a PAX or GNU long-name block of the size its header
    /// claims before reading it, so a 512-byte header could make it allocate gigabytes. Walk
    /// the headers as they arrive and refuse an oversized one before the reader sees it.
    /// </summary>
    private void GuardMetadataHeaders(MemoryStream r)
    {
        var bytes = r.GetBuffer().AsSpan(0, (int)r.Length);
        if (_guarded < 0)
        {
            // The reader first skips the previous entry's padding: zeros, under a block.
            var start = bytes.IndexOfAnyExcept((byte)0);
            if (start < 0)
            {
                return;
            }

            _guarded = start;
        }

        while ((long)_guarded + 512 <= bytes.Length)
        {
            var header = bytes.Slice(_guarded, 512);
            var type = header[156];
            if (type is not ((byte)'x' or (byte)'g' or (byte)'L' or (byte)'K'))
            {
                _guarded = int.MaxValue; // the entry's own header: nothing more to check in this call
                return;
            }

            if (!TryOctal(header.Slice(124, 12), out var size) || size > MaxMetadataSize)
            {
                throw BerthException.InvalidArgument(
                    $"metadata header of type '{(char)type}' claims {(size < 0 ? "an invalid" : size.ToString(System.Globalization.CultureInfo.InvariantCulture))} bytes, more than {MaxMetadataSize}");
            }

            _guarded += 512 + (int)((size + 511) / 512 * 512);
        }
    }

    private static bool TryOctal(ReadOnlySpan<byte> field, out long value)
    {
        value = 0;
        foreach (var b in field)
        {
            if (b is (byte)' ' or 0)
            {
                continue;
            }

            if (b is < (byte)'0' or > (byte)'7' || value > long.MaxValue / 8)
            {
                value = -1; // includes GNU base-256 sizes, never legitimate for metadata
                return false;
            }

            value = value * 8 + (b - '0');
        }

        return true;
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
