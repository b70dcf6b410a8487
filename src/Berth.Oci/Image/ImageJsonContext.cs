using System.Text.Json.Serialization;

namespace Berth.Oci.Image;

/// <summary>
/// Source-generated JSON for the image spec (no reflection: NativeAOT). camelCase, nulls left
/// out; the fields the spec spells otherwise carry their own names. Duplicate keys are refused,
/// so that two readers of one manifest cannot see different layers.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    AllowDuplicateProperties = false)]
[JsonSerializable(typeof(Manifest))]
[JsonSerializable(typeof(Index))]
[JsonSerializable(typeof(ImageConfig))]
[JsonSerializable(typeof(Descriptor))]
public sealed partial class ImageJsonContext : JsonSerializerContext;
