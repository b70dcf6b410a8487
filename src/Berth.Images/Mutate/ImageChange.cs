using Berth.Oci.Image;

namespace Berth.Images.Mutate;

/// <summary>
/// What <see cref="ImageWriter"/> puts on top of a parent image (or on scratch): new layers, the
/// new execution defaults, and what the history entries say. Null fields keep the parent's value.
/// </summary>
public sealed record ImageChange
{
    /// <summary>Layers added on top of the parent's, base first. Empty for a config-only change.</summary>
    public IReadOnlyList<NewLayer> Layers { get; init; } = [];

    /// <summary>The new image's execution defaults; null keeps the parent's (none on scratch).</summary>
    public ContainerConfig? Config { get; init; }

    /// <summary>The image's and the new history entries' creation time; null means now.</summary>
    public DateTimeOffset? Created { get; init; }

    public string? Author { get; init; }

    /// <summary>
    /// <c>created_by</c> of an empty-layer history entry appended when there are no layers (a
    /// config-only change); layers carry their own in <see cref="NewLayer.CreatedBy"/>.
    /// </summary>
    public string? CreatedBy { get; init; }

    /// <summary>History comment for an empty-layer entry (docker import writes "Imported from -").</summary>
    public string? Comment { get; init; }

    /// <summary>The platform of an image on scratch; null is the host's. A parent's platform is always kept.</summary>
    public Platform? Platform { get; init; }

    /// <summary>Annotations of the new manifest.</summary>
    public IReadOnlyDictionary<string, string>? Annotations { get; init; }
}
