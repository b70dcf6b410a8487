using System.Text;

namespace Berth.Cli.Building;

/// <summary>
/// Makes a process's output line safe to draw inside the tty display: its own escape sequences
/// and control characters would move the cursor and break the redraw, so they go; a carriage
/// return (a progress bar redrawing itself) keeps only what was drawn last; tabs become spaces.
/// </summary>
internal static class TerminalText
{
    public const string Reset = "\e[0m";
    public const string Blue = "\e[34m";
    public const string Red = "\e[31m";
    public const string Yellow = "\e[33m";
    public const string Faint = "\e[2m";
    public const string HideCursor = "\e[?25l";
    public const string ShowCursor = "\e[?25h";
    public const string ClearToEndOfLine = "\e[K";
    public const string ClearToEndOfScreen = "\e[J";

    public static string Up(int lines) => $"\e[{lines}A\r";

    public static string Sanitize(string line)
    {
        var cr = line.TrimEnd('\r').LastIndexOf('\r');
        if (cr >= 0)
        {
            line = line[(cr + 1)..];
        }
        var b = new StringBuilder(line.Length);
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (c == '\e')
            {
                i = SkipEscape(line, i);
            }
            else if (c == '\t')
            {
                b.Append(' ', 8 - (b.Length % 8));
            }
            else if (!char.IsControl(c))
            {
                b.Append(c);
            }
        }
        return b.ToString();
    }

    /// <summary>At most <paramref name="width"/> characters, never splitting a surrogate pair.</summary>
    public static string Truncate(string s, int width)
    {
        if (width <= 0)
        {
            return "";
        }
        if (s.Length <= width)
        {
            return s;
        }
        var cut = char.IsHighSurrogate(s[width - 1]) ? width - 1 : width;
        return s[..cut];
    }

    // The index of an escape sequence's last character: CSI (ESC [ … final byte), OSC (ESC ] … BEL
    // or ESC \), or ESC and one more.
    private static int SkipEscape(string s, int i)
    {
        if (i + 1 < s.Length && s[i + 1] == ']')
        {
            var j = i + 2;
            while (j < s.Length && s[j] != '\a' && !(s[j] == '\\' && s[j - 1] == '\e'))
            {
                j++;
            }
            return j;
        }
        if (i + 1 < s.Length && s[i + 1] == '[')
        {
            var j = i + 2;
            while (j < s.Length && (s[j] < '@' || s[j] > '~'))
            {
                j++;
            }
            return j;
        }
        return i + 1;
    }
}
