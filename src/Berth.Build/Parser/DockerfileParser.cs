using System.Text;

namespace Berth.Build.Parser;

/// <summary>
/// Dockerfile text → <see cref="ParsedDockerfile"/>, as buildkit's parser does it: directives at
/// the top, full-line comments skipped, lines joined at the escape character (comment and blank
/// lines inside a continuation are dropped), flags split off, JSON form detected, and
/// here-documents read after the line that names them. Positions are 1-based line:column.
/// </summary>
public static class DockerfileParser
{
    /// <summary>Larger Dockerfiles are refused before parsing; docker's own limit is far below this.</summary>
    public const int MaxLength = 16 * 1024 * 1024;

    private static readonly string[] HeredocInstructions = ["run", "copy", "add"];

    public static ParsedDockerfile Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length > MaxLength)
        {
            throw DockerfileError.At(new SourcePosition(1, 1), $"Dockerfile is larger than {MaxLength} bytes");
        }
        if (text.Length > 0 && text[0] == '\uFEFF')
        {
            text = text[1..];
        }
        var lines = text.Split('\n');
        for (var n = 0; n < lines.Length; n++)
        {
            if (lines[n].EndsWith('\r'))
            {
                lines[n] = lines[n][..^1];
            }
        }

        var i = 0;
        var directives = DirectiveReader.Read(lines, ref i);
        var escape = directives.Escape;
        var nodes = new List<Node>();
        while (i < lines.Length)
        {
            var line = lines[i];
            var trimmed = line.TrimStart(' ', '\t');
            if (trimmed.Length == 0 || trimmed[0] == '#')
            {
                i++;
                continue;
            }
            var position = new SourcePosition(i + 1, line.Length - trimmed.Length + 1);
            var logical = new StringBuilder();
            var continued = StripContinuation(trimmed, escape, out var body);
            logical.Append(body);
            i++;
            while (continued && i < lines.Length)
            {
                var next = lines[i];
                var t = next.TrimStart(' ', '\t');
                i++;
                if (t.Length == 0 || t[0] == '#')
                {
                    continue;
                }
                continued = StripContinuation(next, escape, out body);
                logical.Append(body);
            }
            nodes.Add(BuildNode(logical.ToString(), position, lines, ref i, escape));
        }
        return new ParsedDockerfile(directives, nodes);
    }

    /// <summary>Parses one instruction line with no continuations or here-documents (ONBUILD's trigger).</summary>
    public static Node ParseLine(string line, SourcePosition position, char escape)
    {
        var none = Array.Empty<string>();
        var i = 0;
        return BuildNode(line, position, none, ref i, escape);
    }

    private static bool StripContinuation(string line, char escape, out string body)
    {
        var end = line.Length;
        while (end > 0 && (line[end - 1] == ' ' || line[end - 1] == '\t'))
        {
            end--;
        }
        if (end > 0 && line[end - 1] == escape)
        {
            body = line[..(end - 1)];
            return true;
        }
        body = line;
        return false;
    }

    private static Node BuildNode(string logical, SourcePosition position, string[] lines, ref int i, char escape)
    {
        var text = logical.Trim(' ', '\t');
        var cut = IndexOfSpace(text, 0);
        var original = cut < 0 ? text : text[..cut];
        var rest = cut < 0 ? "" : text[cut..].TrimStart(' ', '\t');
        var name = original.ToLowerInvariant();

        var flags = new List<string>();
        while (rest.StartsWith("--", StringComparison.Ordinal))
        {
            var end = IndexOfSpace(rest, 0);
            var word = end < 0 ? rest : rest[..end];
            rest = end < 0 ? "" : rest[end..].TrimStart(' ', '\t');
            if (word == "--")
            {
                break;
            }
            flags.Add(word);
        }

        var json = rest.StartsWith('[') ? JsonForm.TryParse(rest) : null;
        var heredocs = new List<Heredoc>();
        if (json is null && Array.IndexOf(HeredocInstructions, name) >= 0)
        {
            foreach (var (delimiter, expand, chomp) in HeredocScanner.Find(rest, escape))
            {
                heredocs.Add(ReadHeredoc(delimiter, expand, chomp, lines, ref i, position));
            }
        }
        var endLine = heredocs.Count > 0 ? i : position.Line;
        if (heredocs.Count == 0)
        {
            // The last physical line consumed by the instruction, continuations included.
            endLine = Math.Max(position.Line, i);
        }
        return new Node(name, original, flags, rest, json, heredocs, position, endLine, escape);
    }

    private static Heredoc ReadHeredoc(string delimiter, bool expand, bool chomp, string[] lines, ref int i, SourcePosition position)
    {
        var content = new StringBuilder();
        while (i < lines.Length)
        {
            var line = lines[i++];
            var candidate = chomp ? line.TrimStart('\t') : line;
            if (candidate == delimiter)
            {
                return new Heredoc(delimiter, content.ToString(), expand, chomp);
            }
            content.Append(candidate).Append('\n');
        }
        throw DockerfileError.At(position, $"unterminated heredoc {delimiter}");
    }

    internal static int IndexOfSpace(string s, int from)
    {
        for (var k = from; k < s.Length; k++)
        {
            if (s[k] == ' ' || s[k] == '\t')
            {
                return k;
            }
        }
        return -1;
    }
}
