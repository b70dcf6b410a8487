namespace Berth.Build.Parser;

/// <summary>
/// Finds <c>&lt;&lt;NAME</c>, <c>&lt;&lt;-NAME</c>, <c>&lt;&lt;"NAME"</c> and <c>&lt;&lt;'NAME'</c>
/// words in a shell-form line, outside quotes, in order. A quoted name turns expansion off.
/// </summary>
internal static class HeredocScanner
{
    public static IEnumerable<(string Name, bool Expand, bool Chomp)> Find(string line, char escape)
    {
        var found = new List<(string, bool, bool)>();
        char quote = '\0';
        for (var k = 0; k < line.Length; k++)
        {
            var c = line[k];
            if (quote != '\0')
            {
                if (c == quote)
                {
                    quote = '\0';
                }
                else if (c == escape && quote == '"')
                {
                    k++;
                }
                continue;
            }
            if (c == escape)
            {
                k++;
                continue;
            }
            if (c == '"' || c == '\'')
            {
                quote = c;
                continue;
            }
            if (c != '<' || k + 1 >= line.Length || line[k + 1] != '<' || (k + 2 < line.Length && line[k + 2] == '<'))
            {
                continue;
            }
            var j = k + 2;
            var chomp = j < line.Length && line[j] == '-';
            if (chomp)
            {
                j++;
            }
            var expand = true;
            char close = '\0';
            if (j < line.Length && (line[j] == '"' || line[j] == '\''))
            {
                close = line[j++];
                expand = false;
            }
            var start = j;
            while (j < line.Length && (char.IsAsciiLetterOrDigit(line[j]) || line[j] == '_' || line[j] == '-' || line[j] == '.'))
            {
                j++;
            }
            var name = line[start..j];
            if (close != '\0')
            {
                if (j >= line.Length || line[j] != close)
                {
                    continue;
                }
                j++;
            }
            if (name.Length > 0)
            {
                found.Add((name, expand, chomp));
            }
            k = j - 1;
        }
        return found;
    }
}
