using System.Text;
using System.Text.Json;
using Berth.Errdefs;

namespace Berth.Images.Mutate;

/// <summary>
/// The word-level syntax of a Dockerfile line as <see cref="ConfigChanges"/> needs it: JSON
/// (exec) form, words split on blanks with "double" and 'single' quotes and backslash escapes
/// removed, and Go durations (<c>30s</c>, <c>1m30s</c>) as nanoseconds. No variable expansion.
/// </summary>
internal static class ChangeWords
{
    /// <summary>The strings of a JSON array of strings, or null when the text is not one (shell form).</summary>
    public static List<string>? TryJsonArray(string text)
    {
        if (!text.StartsWith('['))
            return null;
        try
        {
            var reader = new Utf8JsonReader(Encoding.UTF8.GetBytes(text));
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartArray)
                return null;
            var result = new List<string>();
            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                if (reader.TokenType != JsonTokenType.String)
                    return null;
                result.Add(reader.GetString()!);
            }
            return reader.TokenType == JsonTokenType.EndArray && !reader.Read() ? result : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>Splits on unquoted blanks, removing quotes and escapes. An unterminated quote is InvalidArgument.</summary>
    public static List<string> Split(string text)
    {
        var words = new List<string>();
        var word = new StringBuilder();
        var inWord = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsWhiteSpace(c))
            {
                if (inWord)
                    words.Add(word.ToString());
                word.Clear();
                inWord = false;
                continue;
            }
            inWord = true;
            switch (c)
            {
                case '\\' when i + 1 < text.Length:
                    word.Append(text[++i]);
                    break;
                case '\'':
                    var end = text.IndexOf('\'', i + 1);
                    if (end < 0)
                        throw BerthException.InvalidArgument("unterminated single quote");
                    word.Append(text, i + 1, end - i - 1);
                    i = end;
                    break;
                case '"':
                    i++;
                    while (true)
                    {
                        if (i >= text.Length)
                            throw BerthException.InvalidArgument("unterminated double quote");
                        if (text[i] == '"')
                            break;
                        if (text[i] == '\\' && i + 1 < text.Length && text[i + 1] is '"' or '\\' or '$')
                            i++;
                        word.Append(text[i++]);
                    }
                    break;
                default:
                    word.Append(c);
                    break;
            }
        }
        if (inWord)
            words.Add(word.ToString());
        return words;
    }

    /// <summary>A Go <c>time.Duration</c> string (<c>1h2m3.5s</c>, <c>300ms</c>) in nanoseconds.</summary>
    public static long ParseDuration(string text)
    {
        if (text == "0")
            return 0;
        long total = 0;
        var i = 0;
        if (text.Length == 0)
            throw BerthException.InvalidArgument("empty duration");
        while (i < text.Length)
        {
            var start = i;
            while (i < text.Length && (char.IsAsciiDigit(text[i]) || text[i] == '.'))
                i++;
            if (i == start || !decimal.TryParse(text.AsSpan(start, i - start), System.Globalization.NumberStyles.AllowDecimalPoint,
                    System.Globalization.CultureInfo.InvariantCulture, out var number))
                throw BerthException.InvalidArgument($"invalid duration `{text}`");
            var unitStart = i;
            while (i < text.Length && !char.IsAsciiDigit(text[i]) && text[i] != '.')
                i++;
            long unit = text[unitStart..i] switch
            {
                "ns" => 1,
                "us" or "µs" => 1_000,
                "ms" => 1_000_000,
                "s" => 1_000_000_000,
                "m" => 60_000_000_000,
                "h" => 3_600_000_000_000,
                _ => throw BerthException.InvalidArgument($"invalid duration `{text}`: missing or unknown unit"),
            };
            total = checked(total + (long)(number * unit));
        }
        return total;
    }
}
