using System.Text;

namespace Berth.Cli.Tests.Building;

/// <summary>
/// Plays what a display wrote onto a screen, understanding the escapes TtyProgress uses (cursor
/// up, carriage return, clear to end of line and of screen; colours and cursor visibility are
/// ignored), so a test reads what the user would see after all the redraws. Anything else that
/// starts with ESC fails the test: the display must not send what a terminal would misread.
/// </summary>
internal static class VirtualTerminal
{
    public static string Screen(string output)
    {
        var lines = new List<StringBuilder> { new() };
        int row = 0, col = 0;
        for (var i = 0; i < output.Length; i++)
        {
            var c = output[i];
            if (c == '\e')
            {
                Assert.True(i + 1 < output.Length && output[i + 1] == '[', $"unexpected escape at {i}");
                var j = i + 2;
                while (output[j] is (>= '0' and <= '9') or '?' or ';')
                {
                    j++;
                }
                var args = output[(i + 2)..j];
                switch (output[j])
                {
                    case 'A':
                        row = Math.Max(0, row - (args.Length == 0 ? 1 : int.Parse(args)));
                        break;
                    case 'K':
                        Line(lines, row).Length = Math.Min(col, Line(lines, row).Length);
                        break;
                    case 'J':
                        Line(lines, row).Length = Math.Min(col, Line(lines, row).Length);
                        lines.RemoveRange(row + 1, lines.Count - row - 1);
                        break;
                    case 'm' or 'l' or 'h':
                        break;
                    default:
                        Assert.Fail($"unexpected escape {output[i..(j + 1)]}");
                        break;
                }
                i = j;
            }
            else if (c == '\n')
            {
                row++;
                col = 0;
                Line(lines, row);
            }
            else if (c == '\r')
            {
                col = 0;
            }
            else
            {
                var line = Line(lines, row);
                if (col < line.Length)
                {
                    line[col] = c;
                }
                else
                {
                    line.Append(' ', col - line.Length).Append(c);
                }
                col++;
            }
        }
        return string.Join('\n', lines.Select(l => l.ToString().TrimEnd())).TrimEnd('\n');
    }

    private static StringBuilder Line(List<StringBuilder> lines, int row)
    {
        while (lines.Count <= row)
        {
            lines.Add(new StringBuilder());
        }
        return lines[row];
    }
}
