using System.Text.Json.Serialization;
using Berth.Oci.Image;

namespace Berth.Engine.Builds;

/// <summary>What a cached step produced: the layer it added (with its DiffID), or none.</summary>
public sealed record BuildCacheEntry
{
    [JsonPropertyName("layer")]
    public Descriptor? Layer { get; init; }

    [JsonPropertyName("diffID")]
    public string? DiffId { get; init; }
}

[JsonSerializable(typeof(BuildCacheEntry))]
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
internal sealed partial class BuildJsonContext : JsonSerializerContext;
