using System.Text;

namespace Berth.Build.Secrets;

/// <summary>
/// The first record of a CSV line as Go's <c>encoding/csv</c> reads it (default options), which is
/// how buildkit splits <c>--mount=</c> values and buildx splits <c>--secret</c>: comma-separated,
/// a field may be double-quoted with <c>""</c> for a quote, a quote inside an unquoted field is an
/// error, spaces are kept, and reading stops at the first newline.
/// </summary>
internal static class CsvFields
{
    /// <summary>The fields, or null with <paramref name="error"/> set to Go's wording ("parse error on line 1, column 5: bare \" in non-quoted-field", or "EOF" for empty input).</summary>
    public static List<string>? Read(string text, out string? error)
    {
        error = null;
        var line = FirstNonEmptyLine(text, out var lineNumber);
        if (line is null)
        {
            error = "EOF";
            return null;
        }
        var fields = new List<string>();
        var field = new StringBuilder();
        var i = 0;
        while (true)
        {
            field.Clear();
            if (i < line.Length && line[i] == '"')
            {
                var quoteStart = i;
                i++;
                while (true)
                {
                    if (i >= line.Length)
                    {
                        // Go reports an unterminated quote where the quoted field began.
                        error = Parse(lineNumber, quoteStart + 1, "extraneous or missing \" in quoted-field");
                        return null;
                    }
                    if (line[i] == '"')
                    {
                        if (i + 1 < line.Length && line[i + 1] == '"')
                        {
                            field.Append('"');
                            i += 2;
                            continue;
                        }
                        i++;
                        break;
                    }
                    field.Append(line[i]);
                    i++;
                }
                if (i < line.Length && line[i] != ',')
                {
                    error = Parse(lineNumber, i + 1, "extraneous or missing \" in quoted-field");
                    return null;
                }
            }
            else
            {
                while (i < line.Length && line[i] != ',')
                {
                    if (line[i] == '"')
                    {
                        error = Parse(lineNumber, i + 1, "bare \" in non-quoted-field");
                        return null;
                    }
                    field.Append(line[i]);
                    i++;
                }
            }
            fields.Add(field.ToString());
            if (i >= line.Length)
            {
                return fields;
            }
            i++; // the comma
        }
    }

    private static string Parse(int line, int column, string cause) => $"parse error on line {line}, column {column}: {cause}";

    // Go's reader skips empty lines before a record.
    private static string? FirstNonEmptyLine(string text, out int lineNumber)
    {
        lineNumber = 0;
        foreach (var raw in text.Split('\n'))
        {
            lineNumber++;
            var line = raw.EndsWith('\r') ? raw[..^1] : raw;
            if (line.Length > 0)
            {
                return line;
            }
        }
        return null;
    }
}
