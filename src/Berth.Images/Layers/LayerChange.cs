namespace Berth.Images.Layers;

/// <summary>
/// One entry of a diff, as data: the tar header to write and, for a regular file, the host
/// path its contents come from. <see cref="LayerDiffer.Plan"/> returns these in tar order.
/// </summary>
public sealed record LayerChange(string Name, LayerChangeKind Kind)
{
    /// <summary>The file whose bytes follow the header (regular files only).</summary>
    public string? Source { get; init; }

    /// <summary>Symlink target, or the earlier entry a hard link names.</summary>
    public string? LinkName { get; init; }

    public long Mode { get; init; }
    public long Uid { get; init; }
    public long Gid { get; init; }
    public long Size { get; init; }
    public long MtimeSeconds { get; init; }
    public long DevMajor { get; init; }
    public long DevMinor { get; init; }
    public IReadOnlyDictionary<string, byte[]> Xattrs { get; init; } = new Dictionary<string, byte[]>();
}
