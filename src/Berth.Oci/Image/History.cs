using System.Text.Json.Serialization;

namespace Berth.Oci.Image;

/// <summary>
/// One step of how an image was built (image-spec config.md <c>history</c>). Steps with
/// <see cref="EmptyLayer"/> set made no layer, so history and <see cref="RootFs.DiffIds"/> line
/// up only once those are skipped.
/// </summary>
public sealed record History
{
    /// <summary>RFC 3339 time, kept as written.</summary>
    public string? Created { get; init; }

    [JsonPropertyName("created_by")]
    public string? CreatedBy { get; init; }

    public string? Author { get; init; }
    public string? Comment { get; init; }

    [JsonPropertyName("empty_layer")]
    public bool? EmptyLayer { get; init; }
}
