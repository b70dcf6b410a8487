using System.Text;

namespace Berth.Cli.Formatting;

/// <summary>
/// Aligns tab-separated cells into columns exactly as Go's text/tabwriter does with flags 0
/// (docker uses <c>NewWriter(out, 10, 1, 3, ' ', 0)</c>, see <see cref="Docker"/>). Text is
/// buffered until <see cref="Flush"/>. A cell is text ended by a tab; the text after a line's
/// last tab is not part of any column. A column block is a run of consecutive lines that all
/// have that cell; its width is the widest cell plus padding, at least minWidth. Widths count
/// runes. Go's escapes, <c>\v</c> and <c>\f</c> are not interpreted.
/// </summary>
public sealed class TabWriter
{
    private readonly TextWriter _output;
    private readonly int _minWidth;
    private readonly int _padding;
    private readonly char _padChar;
    private readonly StringBuilder _buffer = new();
    private List<string[]> _lines = [];
    private List<int> _widths = [];

    /// <summary>Go's NewWriter; tab width only matters when padding with tabs, which this does not do.</summary>
    public TabWriter(TextWriter output, int minWidth, int padding, char padChar)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentOutOfRangeException.ThrowIfNegative(minWidth);
        ArgumentOutOfRangeException.ThrowIfNegative(padding);
        _output = output;
        _minWidth = minWidth;
        _padding = padding;
        _padChar = padChar;
    }

    /// <summary>docker's table writer: minwidth 10, padding 3, spaces.</summary>
    public static TabWriter Docker(TextWriter output) => new(output, 10, 3, ' ');

    public void Write(string text) => _buffer.Append(text);

    /// <summary>Formats and writes everything buffered; a last line without a newline is written without one.</summary>
    public void Flush()
    {
        _lines = _buffer.ToString().Split('\n').Select(l => l.Split('\t')).ToList();
        _buffer.Clear();
        _widths = [];
        var sb = new StringBuilder();
        Format(sb, 0, _lines.Count);
        _output.Write(sb.ToString());
        _lines = [];
    }

    private void Format(StringBuilder sb, int line0, int line1)
    {
        var column = _widths.Count;
        for (var current = line0; current < line1; current++)
        {
            if (column >= _lines[current].Length - 1)
            {
                continue;
            }
            // This line has a cell in this column: a column block starts here.
            WriteLines(sb, line0, current);
            line0 = current;
            var width = _minWidth;
            for (; current < line1; current++)
            {
                var line = _lines[current];
                if (column >= line.Length - 1)
                {
                    break;
                }
                width = Math.Max(width, Width(line[column]) + _padding);
            }
            _widths.Add(width);
            Format(sb, line0, current);
            _widths.RemoveAt(_widths.Count - 1);
            line0 = current;
        }
        WriteLines(sb, line0, line1);
    }

    private void WriteLines(StringBuilder sb, int line0, int line1)
    {
        for (var i = line0; i < line1; i++)
        {
            var line = _lines[i];
            for (var j = 0; j < line.Length; j++)
            {
                sb.Append(line[j]);
                if (j < _widths.Count)
                {
                    sb.Append(_padChar, _widths[j] - Width(line[j]));
                }
            }
            if (i + 1 < _lines.Count)
            {
                sb.Append('\n');
            }
        }
    }

    private static int Width(string cell) => cell.EnumerateRunes().Count();
}
