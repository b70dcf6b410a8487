using System.Text;
using System.Text.Json;

namespace Berth.Cli.Formatting;

/// <summary>
/// docker's <c>--format</c> contract for list commands. The raw flag value selects the output:
/// empty or <c>table</c> → the default table template; <c>table TEMPLATE</c> → a header row
/// (each top-level <c>{{.Field}}</c> replaced by its header name, an unknown field by its name
/// in upper case) and one row per item, aligned in columns by <see cref="TabWriter.Docker"/>;
/// <c>json</c> → one compact JSON object per line; anything else → the template, one rendered
/// line per row, no header, no alignment. As docker does, surrounding spaces are trimmed and
/// the two characters <c>\t</c> and <c>\n</c> typed on a command line become a tab and a newline.
/// <para>Bad input: a template that does not parse makes the constructor throw an InvalidArgument
/// <c>BerthException</c> ("template parsing error: …"); a row it cannot render makes
/// <see cref="Write"/> throw InvalidArgument with Go's execution message, having written nothing.</para>
/// </summary>
public sealed class FormatWriter
{
    private readonly GoTemplate? _template;
    private readonly IReadOnlyDictionary<string, string> _headers;

    /// <param name="format">the <c>--format</c> value, possibly null or empty</param>
    /// <param name="defaultTableTemplate">the command's table, e.g. <c>{{.ID}}\t{{.Image}}\t{{.Names}}</c></param>
    /// <param name="headers">header names by field, e.g. <c>ID</c> → <c>CONTAINER ID</c></param>
    public FormatWriter(string? format, string defaultTableTemplate, IReadOnlyDictionary<string, string> headers)
    {
        ArgumentNullException.ThrowIfNull(defaultTableTemplate);
        ArgumentNullException.ThrowIfNull(headers);
        _headers = headers;
        format ??= "";
        if (format.Trim() == "json")
        {
            IsJson = true;
            return;
        }
        var text = format;
        if (format.Length == 0 || format == "table")
        {
            IsTable = true;
            text = defaultTableTemplate;
        }
        else if (format.StartsWith("table", StringComparison.Ordinal))
        {
            IsTable = true;
            text = format["table".Length..];
        }
        _template = GoTemplate.Parse(Unescape(text.Trim(' ')));
    }

    /// <summary>The output is a table with a header row.</summary>
    public bool IsTable { get; }

    /// <summary>The output is one JSON object per line.</summary>
    public bool IsJson { get; }

    /// <summary>Writes all rows (and for a table, the header first, even when there are no rows).</summary>
    public void Write(TextWriter output, IEnumerable<JsonElement> rows)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(rows);
        if (IsJson)
        {
            foreach (var row in rows)
            {
                output.Write(GoJson.Marshal(row));
                output.Write('\n');
            }
            return;
        }
        // Like docker, render everything first: a row that fails leaves the output untouched.
        var template = _template!;
        var rendered = new StringBuilder();
        foreach (var row in rows)
        {
            rendered.Append(template.Execute(row)).Append('\n');
        }
        if (!IsTable)
        {
            output.Write(rendered.ToString());
            return;
        }
        var table = TabWriter.Docker(output);
        table.Write(template.ExecuteHeader(HeaderRow(template)));
        table.Write("\n");
        table.Write(rendered.ToString());
        table.Flush();
    }

    private JsonElement HeaderRow(GoTemplate template)
    {
        var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            foreach (var field in template.TopLevelFields())
            {
                writer.WriteString(field, _headers.TryGetValue(field, out var name) ? name : field.ToUpperInvariant());
            }
            writer.WriteEndObject();
        }
        return JsonDocument.Parse(buffer.ToArray()).RootElement;
    }

    // docker: strings.NewReplacer(`\t`, "\t", `\n`, "\n") over the whole format.
    internal static string Unescape(string format)
    {
        var sb = new StringBuilder(format.Length);
        for (var i = 0; i < format.Length; i++)
        {
            if (format[i] == '\\' && i + 1 < format.Length && format[i + 1] is 't' or 'n')
            {
                sb.Append(format[i + 1] == 't' ? '\t' : '\n');
                i++;
                continue;
            }
            sb.Append(format[i]);
        }
        return sb.ToString();
    }
}
