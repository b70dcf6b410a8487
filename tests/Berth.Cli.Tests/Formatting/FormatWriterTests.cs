using System.Text.Json;
using Berth.Cli.Formatting;
using Berth.Errdefs;

namespace Berth.Cli.Tests.Formatting;

public sealed class FormatWriterTests
{
    private const string Default = @"{{.ID}}\t{{.Image}}\t{{.Names}}";

    private static readonly Dictionary<string, string> Headers = new()
    {
        ["ID"] = "CONTAINER ID",
        ["Image"] = "IMAGE",
        ["Names"] = "NAMES",
    };

    private static readonly string[] Rows =
    [
        """{"ID":"4f66ad9a0b2e","Image":"nginx","Names":"web","Ports":"80/tcp"}""",
        """{"ID":"0123456789ab","Image":"docker.io/library/busybox:latest","Names":"x","Ports":""}""",
    ];

    private static string Write(string? format, params string[] rows)
    {
        var docs = rows.Select(r => JsonDocument.Parse(r)).ToList();
        var sw = new StringWriter();
        new FormatWriter(format, Default, Headers).Write(sw, docs.Select(d => d.RootElement));
        docs.ForEach(d => d.Dispose());
        return sw.ToString();
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("table")]
    public void DefaultTable(string? format)
    {
        Assert.Equal(
            "CONTAINER ID   IMAGE                              NAMES\n" +
            "4f66ad9a0b2e   nginx                              web\n" +
            "0123456789ab   docker.io/library/busybox:latest   x\n",
            Write(format, Rows));
    }

    [Fact]
    public void TableTemplateWithUnknownFieldAndFunctions()
    {
        Assert.Equal(
            "NAMES     PORTS\n" +
            "WEB       80/tcp\n" +
            "X         \n",
            Write(@"table {{.Names | upper}}\t{{.Ports}}", Rows));
    }

    [Fact]
    public void TableWithNoRowsStillHasHeader() =>
        Assert.Equal("CONTAINER ID   IMAGE     NAMES\n", Write("table"));

    [Fact]
    public void PlainTemplateHasNoHeaderAndNoAlignment() =>
        Assert.Equal("web\t4f66ad9a0b2e\nx\t0123456789ab\n", Write(@" {{.Names}}\t{{.ID}} ", Rows));

    [Fact]
    public void Json() =>
        Assert.Equal(
            "{\"ID\":\"4f66ad9a0b2e\",\"Image\":\"nginx\",\"Names\":\"web\",\"Ports\":\"80/tcp\"}\n" +
            "{\"ID\":\"0123456789ab\",\"Image\":\"docker.io/library/busybox:latest\",\"Names\":\"x\",\"Ports\":\"\"}\n",
            Write("json", Rows));

    [Fact]
    public void Kinds()
    {
        Assert.True(new FormatWriter("json", Default, Headers).IsJson);
        Assert.True(new FormatWriter("table {{.ID}}", Default, Headers).IsTable);
        var plain = new FormatWriter("{{.ID}}", Default, Headers);
        Assert.False(plain.IsTable || plain.IsJson);
    }

    [Fact]
    public void ParseErrorAtConstruction()
    {
        var e = Assert.Throws<BerthException>(() => new FormatWriter("{{.ID", Default, Headers));
        Assert.StartsWith("template parsing error:", e.Message);
    }

    [Fact]
    public void FailedRowWritesNothing()
    {
        var sw = new StringWriter();
        using var doc = JsonDocument.Parse(Rows[0]);
        var e = Assert.Throws<BerthException>(() =>
            new FormatWriter("table {{.Nope}}", Default, Headers).Write(sw, [doc.RootElement]));
        Assert.Equal(ErrorKind.InvalidArgument, e.Kind);
        Assert.Equal("", sw.ToString());
    }

    [Theory]
    [InlineData(@"a\tb\nc", "a\tb\nc")]
    [InlineData(@"a\\tb", "a\\\tb")]
    [InlineData(@"\x", @"\x")]
    public void Unescape(string raw, string expected) => Assert.Equal(expected, FormatWriter.Unescape(raw));
}
