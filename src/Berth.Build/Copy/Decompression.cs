using System.IO.Compression;
using SharpCompress.Compressors.BZip2;
using SharpCompress.Compressors.Xz;

namespace Berth.Build.Copy;

/// <summary>The compressions ADD recognises in a local archive, by their magic bytes as docker does (never by name).</summary>
internal enum Compression
{
    None,
    Gzip,
    Bzip2,
    Xz,
    Zstd,
}

internal static class Decompression
{
    public static Compression Detect(ReadOnlySpan<byte> magic) => magic switch
    {
        [0x1f, 0x8b, 0x08, ..] => Compression.Gzip,
        [(byte)'B', (byte)'Z', (byte)'h', ..] => Compression.Bzip2,
        [0xfd, (byte)'7', (byte)'z', (byte)'X', (byte)'Z', 0x00, ..] => Compression.Xz,
        [0x28, 0xb5, 0x2f, 0xfd, ..] => Compression.Zstd,
        _ => Compression.None,
    };

    /// <summary>
    /// <paramref name="file"/> (at its start, seekable) decompressed. The caller disposes the
    /// file as well as the result, since not every decompressor closes what it reads.
    /// </summary>
    public static Stream Open(Stream file, out Compression compression)
    {
        Span<byte> magic = stackalloc byte[6];
        var n = file.ReadAtLeast(magic, magic.Length, throwOnEndOfStream: false);
        file.Position = 0;
        compression = Detect(magic[..n]);
        return compression switch
        {
            Compression.Gzip => new GZipStream(file, CompressionMode.Decompress, leaveOpen: true),
            Compression.Bzip2 => BZip2Stream.Create(file, SharpCompress.Compressors.CompressionMode.Decompress, decompressConcatenated: true, leaveOpen: true, tolerateTruncatedStream: false),
            Compression.Xz => new XZStream(file),
            Compression.Zstd => new ZstdSharp.DecompressionStream(file, leaveOpen: true),
            _ => file,
        };
    }
}
