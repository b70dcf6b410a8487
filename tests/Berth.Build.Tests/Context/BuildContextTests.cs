using Berth.Build.Context;
using Berth.Build.Ignore;
using Berth.Errdefs;

namespace Berth.Build.Tests.Context;

public sealed class BuildContextTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("berth-ctx-").FullName;

    public BuildContextTests()
    {
        foreach (var f in new[] { "a.txt", "b.txt", "c.go", "ab.txt", "src/main.go", "src/util.go", "src/lib/x.go", "docs/readme.md", "[x].txt", "logs/1.log" })
        {
            var p = Path.Combine(_dir, f);
            Directory.CreateDirectory(Path.GetDirectoryName(p)!);
            File.WriteAllText(p, f);
        }
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private BuildContext Ctx(string ignore = "") => new(_dir, IgnoreMatcher.FromText(ignore));

    private IReadOnlyList<string> Resolve(params string[] patterns) => Ctx("logs\n").ResolveSources(patterns);

    [Theory]
    [InlineData("a.txt", "a.txt")]
    [InlineData("/a.txt", "a.txt")]
    [InlineData("./src/../a.txt", "a.txt")]
    [InlineData("*.txt", "[x].txt,a.txt,ab.txt,b.txt")]
    [InlineData("?.txt", "a.txt,b.txt")]
    [InlineData("[ab].txt", "a.txt,b.txt")]
    [InlineData("[^a].txt", "b.txt")]
    [InlineData("[a-b]?.txt", "ab.txt")]
    [InlineData("src/*.go", "src/main.go,src/util.go")]
    [InlineData("*/*.go", "src/main.go,src/util.go")]
    [InlineData("src", "src")]
    [InlineData(".", ".")]
    [InlineData("/", ".")]
    [InlineData("\\[x\\].txt", "[x].txt")]
    [InlineData("*/lib/*", "src/lib/x.go")]
    [InlineData("/../a.txt", "a.txt")]
    public void GlobsResolveAsDockerDoes(string pattern, string expected) =>
        Assert.Equal(expected.Split(','), Resolve(pattern));

    [Fact]
    public void MatchesAcrossPatternsAreNotRepeated() =>
        Assert.Equal(["a.txt", "b.txt"], Resolve("a.txt", "?.txt"));

    [Theory]
    [InlineData("..")]
    [InlineData("../x")]
    [InlineData("src/../../x")]
    [InlineData("./../etc/passwd")]
    public void EscapesAreRefused(string pattern)
    {
        var e = Assert.Throws<BerthException>(() => Resolve(pattern));
        Assert.Equal(ErrorKind.InvalidArgument, e.Kind);
        Assert.Contains(pattern, e.Message);
        Assert.Contains("outside the build context", e.Message);
    }

    [Theory]
    [InlineData("nope.txt", "nope.txt")]
    [InlineData("logs/1.log", "logs/1.log")]
    [InlineData("*.none", "*.none")]
    public void MissingOrExcludedSourcesFail(string pattern, string named)
    {
        var e = Assert.Throws<BerthException>(() => Resolve(pattern));
        Assert.Equal(ErrorKind.NotFound, e.Kind);
        Assert.Equal($"COPY failed: file not found in build context or excluded by .dockerignore: stat {named}: file does not exist", e.Message);
    }

    [Fact]
    public void BadGlobIsAnError() =>
        Assert.Equal(ErrorKind.InvalidArgument, Assert.Throws<BerthException>(() => Resolve("[a")).Kind);

    [Fact]
    public void SymlinkedDirectoryIsNotFollowed()
    {
        var outside = Directory.CreateTempSubdirectory("berth-out-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(outside, "secret"), "s");
            File.CreateSymbolicLink(Path.Combine(_dir, "link"), outside);
            Assert.Throws<BerthException>(() => Resolve("link/secret"));
            Assert.Throws<BerthException>(() => Resolve("link/*"));
            var entries = Ctx().Enumerate().Select(e => e.RelativePath).ToList();
            Assert.Contains("link", entries);
            Assert.DoesNotContain(entries, e => e.StartsWith("link/", StringComparison.Ordinal));
        }
        finally
        {
            Directory.Delete(outside, recursive: true);
        }
    }

    [Fact]
    public void EnumerateIsSortedAndSkipsExcluded()
    {
        var entries = Ctx("logs\n*.md\n!docs\n").Enumerate().Select(e => e.RelativePath).ToList();
        Assert.Equal(["[x].txt", "a.txt", "ab.txt", "b.txt", "c.go", "docs", "docs/readme.md", "src", "src/lib", "src/lib/x.go", "src/main.go", "src/util.go"], entries);
    }

    [Fact]
    public void ExceptionsInsideExcludedDirectoryAreFound()
    {
        var entries = Ctx("src\n!src/lib/x.go\n").Enumerate().Select(e => e.RelativePath).ToList();
        Assert.Contains("src/lib/x.go", entries);
        Assert.DoesNotContain("src/main.go", entries);
    }
}
