namespace Berth.Build.Parser;

/// <summary>
/// Reads parser directives (<c># syntax=</c>, <c># escape=</c>, <c># check=</c>) from the top of a
/// Dockerfile. The first line that is not a directive (a comment, a blank line, an instruction)
/// ends them; an unknown name that looks like a directive is ignored, as buildkit does.
/// </summary>
internal static class DirectiveReader
{
    public static ParserDirectives Read(string[] lines, ref int i)
    {
        string? syntax = null, escape = null, check = null;
        while (i < lines.Length && TryMatch(lines[i], out var name, out var value))
        {
            var position = new SourcePosition(i + 1, 1);
            switch (name)
            {
                case "syntax":
                    syntax = Set(syntax, value, name, position);
                    break;
                case "escape":
                    escape = Set(escape, value, name, position);
                    if (value != "\\" && value != "`")
                    {
                        throw DockerfileError.At(position, $"invalid escape token '{value}' does not match ` or \\");
                    }
                    break;
                case "check":
                    check = Set(check, value, name, position);
                    break;
            }
            i++;
        }
        return new ParserDirectives(syntax, escape is null ? '\\' : escape[0], check);
    }

    private static string Set(string? previous, string value, string name, SourcePosition position) =>
        previous is null ? value : throw DockerfileError.At(position, $"only one {name} parser directive can be used");

    /// <summary><c>#[ \t]*name[ \t]*=[ \t]*value[ \t]*</c>, name a letter then letters or digits.</summary>
    private static bool TryMatch(string line, out string name, out string value)
    {
        name = value = "";
        if (line.Length == 0 || line[0] != '#')
        {
            return false;
        }
        var k = SkipBlanks(line, 1);
        var start = k;
        if (k >= line.Length || !char.IsAsciiLetter(line[k]))
        {
            return false;
        }
        while (k < line.Length && char.IsAsciiLetterOrDigit(line[k]))
        {
            k++;
        }
        var n = line[start..k];
        k = SkipBlanks(line, k);
        if (k >= line.Length || line[k] != '=')
        {
            return false;
        }
        var v = line[(k + 1)..].Trim(' ', '\t');
        if (v.Length == 0)
        {
            return false;
        }
        name = n.ToLowerInvariant();
        value = v;
        return true;
    }

    private static int SkipBlanks(string s, int k)
    {
        while (k < s.Length && (s[k] == ' ' || s[k] == '\t'))
        {
            k++;
        }
        return k;
    }
}
