using System.Text.Json;
using System.Text.Json.Serialization;

namespace Berth.Oci.Image;

/// <summary>
/// Reads and writes Go's <c>map[string]struct{}</c>, which the image config uses for sets
/// (<c>"ExposedPorts": {"80/tcp": {}}</c>), as the list of its keys in the order written.
/// Values are skipped when read (some tools write null) and always written as <c>{}</c>; a key
/// given twice counts once, as in the Go map it came from.
/// </summary>
public sealed class KeySetConverter : JsonConverter<IReadOnlyList<string>>
{
    public override IReadOnlyList<string>? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.Null)
            return null;
        if (reader.TokenType != JsonTokenType.StartObject)
            throw new JsonException("expected an object whose values are {}");
        var keys = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            var key = reader.GetString()!;
            if (seen.Add(key))
                keys.Add(key);
            reader.Read();
            reader.Skip();
        }
        return keys;
    }

    public override void Write(Utf8JsonWriter writer, IReadOnlyList<string> value, JsonSerializerOptions options)
    {
        writer.WriteStartObject();
        foreach (var key in value)
        {
            writer.WritePropertyName(key);
            writer.WriteStartObject();
            writer.WriteEndObject();
        }
        writer.WriteEndObject();
    }
}
