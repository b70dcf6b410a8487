using Berth.Cli.Formatting;

namespace Berth.Cli.Tests.Formatting;

public sealed class TabWriterTests
{
    private static string Align(string text)
    {
        var sw = new StringWriter();
        var tw = TabWriter.Docker(sw);
        tw.Write(text);
        tw.Flush();
        return sw.ToString();
    }

    [Fact]
    public void MinWidthAndPadding() =>
        Assert.Equal("a            bb        c\nlongercell   d         e\n", Align("a\tbb\tc\nlongercell\td\te\n"));

    [Fact]
    public void LastCellIsNotAligned() =>
        Assert.Equal("x         a-very-long-last-cell\ny         z\n", Align("x\ta-very-long-last-cell\ny\tz\n"));

    [Fact]
    public void LineWithoutTabsEndsTheColumnBlock() =>
        Assert.Equal("a         b\nheading\nlongest-first-cell   c\n", Align("a\tb\nheading\nlongest-first-cell\tc\n"));

    [Fact]
    public void NoTrailingNewlineIsKept() => Assert.Equal("a         b", Align("a\tb"));

    [Fact]
    public void WidthCountsRunes() => Assert.Equal("héllo     x\nab        y\n", Align("héllo\tx\nab\ty\n"));

    [Fact]
    public void CustomPadding()
    {
        var sw = new StringWriter();
        var tw = new TabWriter(sw, 0, 1, '.');
        tw.Write("ab\tc\na\td\n");
        tw.Flush();
        Assert.Equal("ab.c\na..d\n", sw.ToString());
    }
}
