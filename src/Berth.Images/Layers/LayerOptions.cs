namespace Berth.Images.Layers;

/// <summary>
/// Limits and behaviour of <see cref="LayerApplier"/>. A layer is untrusted input: every
/// limit here bounds what a hostile archive can make the applier do.
/// </summary>
public sealed record LayerOptions
{
    public static LayerOptions Default { get; } = new();

    public WhiteoutFormat Whiteouts { get; init; } = WhiteoutFormat.Oci;

    /// <summary>Longest entry name or link target accepted, in UTF-16 chars (PATH_MAX).</summary>
    public int MaxNameLength { get; init; } = 4096;

    /// <summary>Most entries (headers) a layer may hold.</summary>
    public int MaxEntries { get; init; } = 1_000_000;

    /// <summary>Most bytes the uncompressed tar stream may hold.</summary>
    public long MaxTotalSize { get; init; } = 64L << 30;

    /// <summary>
    /// Most bytes of one PAX or GNU long-name block. System.Formats.Tar allocates what such a
    /// header claims before reading it, so this is checked as the header arrives.
    /// </summary>
    public int MaxHeaderSize { get; init; } = 1 << 20;

    /// <summary>Most bytes of one xattr value (the kernel's own limit is 64 KiB).</summary>
    public int MaxXattrSize { get; init; } = 64 * 1024;

    /// <summary>
    /// The DiffID the image config lists for this layer. When set, a layer whose uncompressed
    /// bytes hash differently is an InvalidArgument error after it is read, and the caller
    /// discards the directory it was applied to.
    /// </summary>
    public Berth.Oci.Digest? ExpectedDiffId { get; init; }

    /// <summary>Apply the entries' uid/gid (needs root); when false files belong to the caller.</summary>
    public bool ApplyOwnership { get; init; } = true;
}
