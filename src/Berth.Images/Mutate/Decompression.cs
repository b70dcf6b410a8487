using System.IO.Compression;

namespace Berth.Images.Mutate;

/// <summary>Opens a stream that may be gzip, zstd or plain, told apart by its first bytes.</summary>
internal static class Decompression
{
    public static async Task<(Oci.Image.LayerCompression Compression, Stream Stream)> OpenAsync(Stream input, CancellationToken cancellationToken)
    {
        var magic = new byte[4];
        var n = await input.ReadAtLeastAsync(magic, magic.Length, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
        var stream = new Layers.PrefixedStream(magic, n, input);
        if (n >= 2 && magic[0] == 0x1f && magic[1] == 0x8b)
            return (Oci.Image.LayerCompression.Gzip, new GZipStream(stream, CompressionMode.Decompress));
        if (n >= 4 && magic[0] == 0x28 && magic[1] == 0xb5 && magic[2] == 0x2f && magic[3] == 0xfd)
            return (Oci.Image.LayerCompression.Zstd, new ZstdSharp.DecompressionStream(stream));
        return (Oci.Image.LayerCompression.None, stream);
    }

    /// <summary>True for the exceptions a corrupt or truncated compressed stream or tar raises.</summary>
    public static bool IsCorruption(Exception e) =>
        e is InvalidDataException or EndOfStreamException or FormatException or ZstdSharp.ZstdException;
}
