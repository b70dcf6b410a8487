using System.Text;
using System.Text.Json;

namespace Berth.Build.Parser;

/// <summary>
/// The exec form: a JSON array of strings. Anything else (bad JSON, a number inside) is not an
/// error: docker then treats the text as shell form.
/// </summary>
internal static class JsonForm
{
    public static IReadOnlyList<string>? TryParse(string rest)
    {
        var trimmed = rest.TrimEnd(' ', '\t');
        if (!trimmed.StartsWith('[') || !trimmed.EndsWith(']'))
        {
            return null;
        }
        try
        {
            var reader = new Utf8JsonReader(Encoding.UTF8.GetBytes(trimmed));
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartArray)
            {
                return null;
            }
            var items = new List<string>();
            while (reader.Read())
            {
                if (reader.TokenType == JsonTokenType.EndArray)
                {
                    return reader.Read() ? null : items;
                }
                if (reader.TokenType != JsonTokenType.String)
                {
                    return null;
                }
                items.Add(reader.GetString() ?? "");
            }
            return null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
