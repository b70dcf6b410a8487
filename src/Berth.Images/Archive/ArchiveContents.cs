using Berth.Errdefs;
using Berth.Oci;

namespace Berth.Images.Archive;

/// <summary>
/// What a load found in an archive: its small JSON files in memory, every other regular file as
/// a verified blob in the content store (with its DiffID when it is a plain tar), and links.
/// </summary>
internal sealed class ArchiveContents
{
    public Dictionary<string, byte[]> Json { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, ArchiveBlob> Blobs { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, string> Links { get; } = new(StringComparer.Ordinal);

    /// <summary>The blob at <paramref name="path"/>, following links; InvalidArgument naming the path when absent.</summary>
    public ArchiveBlob Blob(string path, string what)
    {
        var cleaned = ArchiveEntryName.Clean(path, 4096);
        for (var hops = 0; hops < 16; hops++)
        {
            if (Blobs.TryGetValue(cleaned, out var blob))
                return blob;
            if (!Links.TryGetValue(cleaned, out var target))
                break;
            cleaned = target;
        }
        throw BerthException.InvalidArgument($"{what} `{path}`: not in the archive");
    }

    /// <summary>The blob named by <paramref name="digest"/> under <c>blobs/</c>; InvalidArgument when absent.</summary>
    public ArchiveBlob Blob(Digest digest, string what) => Blob($"blobs/{digest.Algorithm}/{digest.Encoded}", $"{what} `{digest}`: blob");
}

/// <summary>A regular file of the archive, now a blob; DiffId is known when the file was a plain tar.</summary>
internal sealed record ArchiveBlob(Digest Digest, long Size, Digest? DiffId, Oci.Image.LayerCompression Compression);
