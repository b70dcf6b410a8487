using System.Text.Json.Serialization;
using Berth.Distribution.Errors;

namespace Berth.Distribution;

/// <summary>Source-generated JSON for the registry's own documents (not the image-spec ones: those are Berth.Oci's).</summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ErrorBody))]
[JsonSerializable(typeof(TagList))]
[JsonSerializable(typeof(Catalog))]
public sealed partial class DistributionJson : JsonSerializerContext;

/// <summary>The tag list, <c>{"name": …, "tags": [ … ]}</c> (end-8a).</summary>
public sealed record TagList(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("tags")] IReadOnlyList<string> Tags);

/// <summary>The catalog, <c>{"repositories": [ … ]}</c>.</summary>
public sealed record Catalog([property: JsonPropertyName("repositories")] IReadOnlyList<string> Repositories);
