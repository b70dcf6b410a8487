using System.Security.Cryptography;
using Berth.Errdefs;
using Berth.Images.Content;
using Berth.Images.Layers;
using Berth.Oci;

namespace Berth.Images.Archive;

/// <summary>
/// Writes an archive's tar to any stream (a file, stdout): ustar headers owned by root at time 0,
/// so the same images give the same bytes. Each blob is written once, and hashed while it is
/// copied: a blob whose bytes no longer match its name fails the write (FailedPrecondition).
/// </summary>
internal sealed class ArchiveTarWriter(Stream output, IBlobReader store)
{
    private readonly TarBlockWriter _tar = new(output);
    private readonly HashSet<string> _written = new(StringComparer.Ordinal);

    public void Directory(string name)
    {
        if (_written.Add(name + "/"))
            _tar.WriteHeader(new TarBlockEntry(name + "/", (byte)'5') { Mode = 0x1ed });
    }

    public async Task FileAsync(string name, byte[] bytes, CancellationToken cancellationToken)
    {
        if (!_written.Add(name))
            return;
        _tar.WriteHeader(new TarBlockEntry(name, (byte)'0') { Mode = 0x1a4, Size = bytes.Length });
        await output.WriteAsync(bytes, cancellationToken).ConfigureAwait(false);
        _tar.Pad(bytes.Length);
    }

    public async Task BlobAsync(Digest digest, CancellationToken cancellationToken)
    {
        var name = $"blobs/{digest.Algorithm}/{digest.Encoded}";
        if (_written.Contains(name))
            return;
        Directory("blobs");
        Directory($"blobs/{digest.Algorithm}");
        _written.Add(name);
        var info = await store.InfoAsync(digest, cancellationToken).ConfigureAwait(false);
        var source = await store.OpenReadAsync(digest, cancellationToken).ConfigureAwait(false);
        await using (source.ConfigureAwait(false))
        {
            _tar.WriteHeader(new TarBlockEntry(name, (byte)'0') { Mode = 0x1a4, Size = info.Size });
            using var hash = IncrementalHash.CreateHash(digest.Algorithm == "sha512" ? HashAlgorithmName.SHA512 : HashAlgorithmName.SHA256);
            var buffer = new byte[1 << 16];
            long left = info.Size;
            while (left > 0)
            {
                var n = await source.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, left)), cancellationToken).ConfigureAwait(false);
                if (n == 0)
                    throw BerthException.FailedPrecondition($"content `{digest}`: shrank while being written");
                hash.AppendData(buffer, 0, n);
                await output.WriteAsync(buffer.AsMemory(0, n), cancellationToken).ConfigureAwait(false);
                left -= n;
            }
            var actual = Digest.FromHash(digest.Algorithm, hash.GetHashAndReset());
            if (actual != digest)
                throw BerthException.FailedPrecondition($"content `{digest}`: the stored bytes have digest `{actual}`");
            _tar.Pad(info.Size);
        }
    }

    public async Task FinishAsync(CancellationToken cancellationToken)
    {
        _tar.Finish();
        await output.FlushAsync(cancellationToken).ConfigureAwait(false);
    }
}
