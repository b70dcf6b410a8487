namespace Berth.Images.Archive;

/// <summary>
/// Bounds on an untrusted archive during a load. Exceeding one is InvalidArgument naming it, and
/// nothing is indexed.
/// </summary>
public sealed record ArchiveLimits
{
    public static ArchiveLimits Default { get; } = new();

    /// <summary>Entries in the archive, directories included.</summary>
    public int MaxEntries { get; init; } = 100_000;

    /// <summary>Bytes of the (decompressed) archive stream.</summary>
    public long MaxTotalSize { get; init; } = 256L << 30;

    /// <summary>Size of a JSON file kept in memory (manifest.json, index.json, repositories, oci-layout).</summary>
    public int MaxJsonSize { get; init; } = 8 << 20;

    /// <summary>Length of an entry name in bytes.</summary>
    public int MaxNameLength { get; init; } = 4096;

    /// <summary>Size of a PAX or GNU long-name header block.</summary>
    public int MaxHeaderSize { get; init; } = 1 << 20;
}
