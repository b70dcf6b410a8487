namespace Berth.Images.Layers;

/// <summary>How <see cref="LayerDiffer"/> writes a layer.</summary>
public sealed record LayerDiffOptions
{
    public static LayerDiffOptions Default { get; } = new();

    /// <summary>
    /// When set, no entry's mtime is later than this (SOURCE_DATE_EPOCH, as buildkit's
    /// rewrite-timestamp does), so rebuilding the same tree later gives the same DiffID.
    /// </summary>
    public DateTimeOffset? SourceDateEpoch { get; init; }
}
