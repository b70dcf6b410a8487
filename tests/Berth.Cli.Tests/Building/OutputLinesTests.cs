using System.Text;
using Berth.Cli.Building;

namespace Berth.Cli.Tests.Building;

public sealed class OutputLinesTests
{
    [Fact]
    public void LinesKeepTheTimeOfTheirFirstByte()
    {
        var lines = new OutputLines();
        var got = new List<(long, string)>();
        lines.Append("ab"u8, 1, (t, s) => got.Add((t, s)));
        lines.Append("c\nd"u8, 2, (t, s) => got.Add((t, s)));
        lines.Append("\r\n\n"u8, 3, (t, s) => got.Add((t, s)));
        Assert.False(lines.HasPartial);
        lines.Append("tail"u8, 4, (t, s) => got.Add((t, s)));
        Assert.Equal("tail", lines.Partial);
        lines.Flush((t, s) => got.Add((t, s)));
        lines.Flush((t, s) => got.Add((t, s))); // nothing left the second time
        Assert.Equal([(1, "abc"), (2, "d"), (3, ""), (4, "tail")], got);
    }

    [Fact]
    public void AnEndlessLineIsCutAtTheLimit()
    {
        var lines = new OutputLines();
        var got = new List<string>();
        var chunk = Encoding.ASCII.GetBytes(new string('x', 10_000));
        for (var i = 0; i < 20; i++)
        {
            lines.Append(chunk, 0, (_, s) => got.Add(s));
        }
        Assert.Equal([OutputLines.MaxLine, OutputLines.MaxLine, OutputLines.MaxLine], got.Select(s => s.Length));
        Assert.Equal(200_000 - 3 * OutputLines.MaxLine, lines.Partial.Length);
    }

    [Theory]
    [InlineData("plain", "plain")]
    [InlineData("\e[1;31mred\e[0m text", "red text")]
    [InlineData("10%\r50%\r100%", "100%")]
    [InlineData("done\r", "done")]
    [InlineData("a\tb", "a       b")]
    [InlineData("\e]0;title\aafter", "after")]
    [InlineData("bell\a and\u0001 nul\0", "bell and nul")]
    public void TerminalTextDropsWhatWouldMoveTheCursor(string raw, string shown)
    {
        Assert.Equal(shown, TerminalText.Sanitize(raw));
    }

    [Fact]
    public void TruncationNeverSplitsASurrogatePair()
    {
        Assert.Equal("ab", TerminalText.Truncate("ab😀", 3));
        Assert.Equal("ab😀", TerminalText.Truncate("ab😀c", 4));
        Assert.Equal("", TerminalText.Truncate("abc", 0));
    }
}
