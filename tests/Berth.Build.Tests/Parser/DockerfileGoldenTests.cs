using Berth.Build.Instructions;
using Berth.Build.Parser;
using Berth.Errdefs;

namespace Berth.Build.Tests.Parser;

/// <summary>
/// Runs every testdata/parser/&lt;case&gt;/Dockerfile and compares a dump with its <c>expected</c>:
/// a directives line, then <c>LINE:COLUMN-ENDLINE Describe()</c> per instruction, or
/// <c>error: message</c>.
/// </summary>
public sealed class DockerfileGoldenTests
{
    private static string Root => Path.Combine(AppContext.BaseDirectory, "testdata", "parser");

    public static TheoryData<string> Cases()
    {
        var data = new TheoryData<string>();
        foreach (var dir in Directory.GetDirectories(Root).Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetFileName(dir));
        }
        return data;
    }

    public static string Dump(string text)
    {
        try
        {
            var parsed = DockerfileParser.Parse(text);
            var d = parsed.Directives;
            var lines = new List<string> { $"directives syntax={d.Syntax ?? "-"} escape={d.Escape} check={d.Check ?? "-"}" };
            foreach (var node in parsed.Nodes)
            {
                lines.Add($"{node.Position}-{node.EndLine} {InstructionParser.Parse(node).Describe()}");
            }
            return string.Join("\n", lines) + "\n";
        }
        catch (BerthException e)
        {
            Assert.Equal(ErrorKind.InvalidArgument, e.Kind);
            Assert.NotNull(DockerfileError.PositionOf(e));
            return "error: " + e.Message + "\n";
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void MatchesGolden(string name)
    {
        var dir = Path.Combine(Root, name);
        var actual = Dump(File.ReadAllText(Path.Combine(dir, "Dockerfile")));
        if (Environment.GetEnvironmentVariable("BERTH_UPDATE_GOLDEN") == "1")
        {
            // Writes into the output copy; copy the files back into testdata by hand after review.
            File.WriteAllText(Path.Combine(dir, "expected"), actual);
            return;
        }
        var expected = File.ReadAllText(Path.Combine(dir, "expected"));
        Assert.Equal(expected, actual);
    }

    [Fact]
    public void ErrorKeepsPosition()
    {
        var e = Assert.Throws<BerthException>(() => InstructionParser.Parse(DockerfileParser.Parse("FROM a\n\n  foo bar\n")));
        Assert.Equal("dockerfile:3:3: unknown instruction: FOO", e.Message);
        Assert.Equal(new SourcePosition(3, 3), DockerfileError.PositionOf(e.Wrap("build")));
    }
}
