using System.Formats.Tar;
using System.Security.Cryptography;
using Berth.Errdefs;
using Berth.Images.Content;
using Berth.Images.Layers;
using Berth.Images.Mutate;
using Berth.Oci;

namespace Berth.Images.Archive;

/// <summary>
/// Reads an untrusted image archive (a tar, possibly gzip or zstd compressed) in one pass:
/// small metadata files into memory, every other regular file through the content store's ingest,
/// so it is visible only once its bytes are verified. A file named <c>blobs/ALG/HEX</c> must hash to
/// that digest. Directories are skipped, links recorded (inside the archive only), anything else
/// refused. Corruption, truncation and broken limits are InvalidArgument naming the entry.
/// </summary>
internal sealed class ArchiveTarReader(IContentStore store, ArchiveLimits limits)
{
    private static readonly HashSet<string> MetadataFiles = new(StringComparer.Ordinal) { "manifest.json", "index.json", "oci-layout", "repositories" };

    public async Task<ArchiveContents> ReadAsync(Stream archive, CancellationToken cancellationToken)
    {
        var contents = new ArchiveContents();
        var where = "the first entry";
        try
        {
            var (_, decompressed) = await Decompression.OpenAsync(archive, cancellationToken).ConfigureAwait(false);
            var tar = new DigestingStream(decompressed, limits.MaxTotalSize) { MaxMetadataSize = limits.MaxHeaderSize };
            await using (tar.ConfigureAwait(false))
            {
                using var reader = new TarReader(tar, leaveOpen: true);
                var count = 0;
                while (true)
                {
                    tar.StartRecording();
                    var entry = await reader.GetNextEntryAsync(copyData: false, cancellationToken).ConfigureAwait(false);
                    tar.StopRecording();
                    if (entry is null)
                        break;
                    if (++count > limits.MaxEntries)
                        throw BerthException.InvalidArgument($"more than {limits.MaxEntries} entries");
                    where = $"entry `{entry.Name}`";
                    await ReadEntryAsync(entry, contents, cancellationToken).ConfigureAwait(false);
                    where = $"the entry after `{entry.Name}`";
                }
            }
        }
        catch (Exception e) when (Decompression.IsCorruption(e))
        {
            throw BerthException.InvalidArgument($"{where}: corrupt or truncated archive: {e.Message}");
        }
        catch (BerthException e)
        {
            throw e.Wrap(where);
        }
        return contents;
    }

    private async Task ReadEntryAsync(TarEntry entry, ArchiveContents contents, CancellationToken cancellationToken)
    {
        var name = ArchiveEntryName.Clean(entry.Name, limits.MaxNameLength);
        switch (entry.EntryType)
        {
            case TarEntryType.Directory:
                return;
            case TarEntryType.SymbolicLink or TarEntryType.HardLink:
                contents.Links[name] = ArchiveEntryName.ResolveLink(name, entry.LinkName, entry.EntryType == TarEntryType.SymbolicLink);
                return;
            case TarEntryType.RegularFile or TarEntryType.V7RegularFile or TarEntryType.ContiguousFile:
                break;
            default:
                throw BerthException.InvalidArgument($"entry type {entry.EntryType} has no place in an image archive");
        }
        var data = entry.DataStream ?? Stream.Null;
        if (MetadataFiles.Contains(name))
        {
            if (entry.Length > limits.MaxJsonSize)
                throw BerthException.InvalidArgument($"{entry.Length} bytes is larger than the limit of {limits.MaxJsonSize}");
            var bytes = new byte[entry.Length];
            await data.ReadExactlyAsync(bytes, cancellationToken).ConfigureAwait(false);
            if (!contents.Json.TryAdd(name, bytes))
                throw BerthException.InvalidArgument("the file appears twice");
            return;
        }
        if (name.EndsWith("/json", StringComparison.Ordinal) || name.EndsWith("/VERSION", StringComparison.Ordinal))
            return; // the legacy format's per-layer v1 metadata: nothing reads it
        contents.Blobs[name] = await IngestAsync(name, data, entry.Length, cancellationToken).ConfigureAwait(false);
    }

    private async Task<ArchiveBlob> IngestAsync(string name, Stream data, long size, CancellationToken cancellationToken)
    {
        Digest? named = null;
        var parts = name.Split('/');
        if (parts is ["blobs", var algorithm, var encoded])
        {
            named = Digest.TryParse($"{algorithm}:{encoded}", out var digest)
                ? digest
                : throw BerthException.InvalidArgument($"`{algorithm}:{encoded}` is not a valid digest");
        }
        var reference = named?.ToString() ?? $"load-{Guid.NewGuid():N}";
        var algorithmName = named?.Algorithm ?? "sha256";
        using var hash = algorithmName == "sha512" ? IncrementalHash.CreateHash(HashAlgorithmName.SHA512) : IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var head = new byte[4];
        var headLength = 0;
        IBlobWriter? writer = null;
        try
        {
            writer = await BlobIngest.OpenWriterAsync(store, reference, named, size, cancellationToken).ConfigureAwait(false);
            if (writer.Offset > 0)
            {
                // An earlier load left part of this blob: this stream cannot resume it.
                await writer.DisposeAsync().ConfigureAwait(false);
                await store.AbortAsync(reference, cancellationToken).ConfigureAwait(false);
                writer = await BlobIngest.OpenWriterAsync(store, reference, named, size, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (BerthException e) when (e.Kind == ErrorKind.AlreadyExists && named is { } present)
        {
            // Verified when it was stored: skip the bytes.
            await CopyAsync(data, null, null, head, cancellationToken, n => headLength = n).ConfigureAwait(false);
            return Blob(present, size, head, headLength);
        }
        var committed = false;
        try
        {
            var written = await CopyAsync(data, writer, hash, head, cancellationToken, n => headLength = n).ConfigureAwait(false);
            if (written != size)
                throw BerthException.InvalidArgument($"truncated: {written} of {size} bytes");
            var actual = Digest.FromHash(algorithmName, hash.GetHashAndReset());
            if (named is { } wanted && wanted != actual)
                throw BerthException.InvalidArgument($"digest mismatch: the content has digest `{actual}`");
            try
            {
                await writer.CommitAsync(actual, size, cancellationToken).ConfigureAwait(false);
            }
            catch (BerthException e) when (e.Kind == ErrorKind.AlreadyExists)
            {
            }
            committed = true;
            return Blob(actual, size, head, headLength);
        }
        finally
        {
            await writer.DisposeAsync().ConfigureAwait(false);
            if (!committed)
            {
                try
                {
                    await store.AbortAsync(reference, CancellationToken.None).ConfigureAwait(false);
                }
                catch (BerthException)
                {
                    // Already gone, or taken by another writer: the store's check cleans up the rest.
                }
            }
        }
    }

    private static ArchiveBlob Blob(Digest digest, long size, byte[] head, int headLength)
    {
        var compression = headLength >= 2 && head[0] == 0x1f && head[1] == 0x8b ? Oci.Image.LayerCompression.Gzip
            : headLength >= 4 && head[0] == 0x28 && head[1] == 0xb5 && head[2] == 0x2f && head[3] == 0xfd ? Oci.Image.LayerCompression.Zstd
            : Oci.Image.LayerCompression.None;
        // A plain file's DiffID is its digest if it is a tar; whether it is one is checked against the config later.
        return new ArchiveBlob(digest, size, compression == Oci.Image.LayerCompression.None && digest.Algorithm == "sha256" ? digest : null, compression);
    }

    private static async Task<long> CopyAsync(
        Stream data, IBlobWriter? writer, IncrementalHash? hash, byte[] head, CancellationToken cancellationToken, Action<int> headRead)
    {
        var buffer = new byte[1 << 16];
        long total = 0;
        int read;
        while ((read = await data.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
        {
            if (total < head.Length)
            {
                var n = (int)Math.Min(head.Length - total, read);
                buffer.AsSpan(0, n).CopyTo(head.AsSpan((int)total));
                headRead((int)total + n);
            }
            hash?.AppendData(buffer, 0, read);
            if (writer is not null)
                await writer.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
            total += read;
        }
        return total;
    }
}
