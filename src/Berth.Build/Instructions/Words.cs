namespace Berth.Build.Instructions;

/// <summary>Splits shell-form text into words at unquoted blanks, keeping quotes and escapes as written.</summary>
internal static class Words
{
    public static List<string> Split(string text, char escape)
    {
        var words = new List<string>();
        var current = new System.Text.StringBuilder();
        char quote = '\0';
        var inWord = false;
        for (var k = 0; k < text.Length; k++)
        {
            var c = text[k];
            if (quote == '\0' && (c == ' ' || c == '\t'))
            {
                if (inWord)
                {
                    words.Add(current.ToString());
                    current.Clear();
                    inWord = false;
                }
                continue;
            }
            inWord = true;
            current.Append(c);
            if (c == escape && quote != '\'' && k + 1 < text.Length)
            {
                current.Append(text[++k]);
            }
            else if (quote == '\0' && (c == '"' || c == '\''))
            {
                quote = c;
            }
            else if (c == quote)
            {
                quote = '\0';
            }
        }
        if (inWord)
        {
            words.Add(current.ToString());
        }
        return words;
    }
}
