using Berth.Build.Ignore;
using Berth.Errdefs;

namespace Berth.Build.Tests.Ignore;

public sealed class IgnoreMatcherTests
{
    // Patterns are separated by '|' (one .dockerignore line each).
    public static TheoryData<string, string, bool> Table => new()
    {
        // exact names, and a parent directory excludes what is below it
        { "foo", "foo", true },
        { "foo", "foobar", false },
        { "foo", "foo/bar/baz", true },
        { "foo", "bar/foo", false },
        { "foo/bar", "foo/bar/x", true },
        { "foo/bar", "foo", false },
        // * and ? stay within one path element
        { "*.go", "main.go", true },
        { "*.go", "cmd/main.go", false },
        { "*/*.go", "cmd/main.go", true },
        { "a*", "abc/def", true },
        { "a*c", "ab/c", false },
        { "?", "a", true },
        { "?", "ab", false },
        { "a?c", "a/c", false },
        { "a?c", "abc", true },
        { "?", "é", true },
        { "?", "😀", true },
        // character classes, negation, escapes
        { "[a-c]x", "bx", true },
        { "[a-c]x", "dx", false },
        { "[^a]x", "bx", true },
        { "[^a]x", "ax", false },
        { "[\\]]", "]", true },
        { "[^a]", "😀", true },
        { "[😀-😂]", "😁", true },
        { "[😀-😂]", "😃", false },
        { "\\*", "*", true },
        { "\\*", "a", false },
        { "a\\?", "a?", true },
        { "a\\?", "ab", false },
        { "file.txt", "fileXtxt", false },
        { "a+b(c)", "a+b(c)", true },
        // **
        { "**", "any/thing/at/all", true },
        { "**/foo", "foo", true },
        { "**/foo", "a/b/foo", true },
        { "**/foo", "a/b/foo/c", true },
        { "**/foo", "a/bfoo", false },
        { "**/*.md", "docs/x/readme.md", true },
        { "**/*.md", "readme.md", true },
        { "foo/**", "foo/a/b", true },
        { "foo/**", "foo", false },
        { "foo/**", "foobar", false },
        { "a/**/b", "a/b", true },
        { "a/**/b", "a/x/y/b", true },
        { "a/**/b", "a/x/yb", false },
        { "a/**/b/*.c", "a/1/2/b/z.c", true },
        // cleaning: leading slash, ./, trailing slash, ..
        { "/foo", "foo", true },
        { "./foo/", "foo/x", true },
        { "foo/../bar", "bar", true },
        { "foo//bar/.", "foo/bar", true },
        { "  foo  ", "foo", true },
        // the path is cleaned too
        { "foo", "./foo", true },
        { "foo", "/foo/x", true },
        // comments and blank lines
        { "#foo", "#foo", false },
        { "# comment|foo", "foo", true },
        { "|   |foo", "foo", true },
        { " #foo", "#foo", true },
        // last match wins, ! re-includes
        { "*.md|!README.md", "README.md", false },
        { "*.md|!README.md", "CHANGES.md", true },
        { "!README.md|*.md", "README.md", true },
        { "docs|!docs/keep", "docs/keep", false },
        { "docs|!docs/keep", "docs/keep/inner", false },
        { "docs|!docs/keep", "docs/other", true },
        { "docs|!docs/keep|docs/keep/secret", "docs/keep/secret", true },
        { "docs|!docs/keep|docs/keep/secret", "docs/keep/public", false },
        { "**|!src|src/**/*.tmp", "src/a/b.tmp", true },
        { "**|!src|src/**/*.tmp", "src/a/b.cs", false },
        { "**|!src|src/**/*.tmp", "README", true },
        { "! foo|foo", "foo", true },
        { "*|! keep ", "keep", false },
        // a pattern without wildcards matches nothing more than itself and what is below
        { "", "anything", false },
    };

    [Theory]
    [MemberData(nameof(Table))]
    public void FollowsDockersRules(string patterns, string path, bool excluded)
    {
        var matcher = IgnoreMatcher.FromText(patterns.Replace('|', '\n'));
        Assert.Equal(excluded, matcher.IsExcluded(path));
    }

    [Theory]
    [InlineData("docs", "docs", true)]
    [InlineData("docs|!docs/keep", "docs", false)]
    [InlineData("docs|!docs/keep", "docs/other", true)]
    [InlineData("docs|!docs/keep", "docs/keep", false)]
    [InlineData("docs|!*/keep", "docs", false)]
    [InlineData("docs|!other/keep", "docs", true)]
    [InlineData("docs|!**/keep", "docs", false)]
    [InlineData("docs|!docs", "docs", false)]
    [InlineData("docs|!docs|docs", "docs", true)]
    [InlineData("docs|!d[o]cs/x", "docs", false)]
    [InlineData("docs/a|!docs/a?", "docs/a", true)]
    [InlineData("src", "lib", false)]
    public void CanSkipDirectoryOnlyWhenNoExceptionReachesInside(string patterns, string dir, bool skip)
    {
        var matcher = IgnoreMatcher.FromText(patterns.Replace('|', '\n'));
        Assert.Equal(skip, matcher.CanSkipDirectory(dir));
    }

    [Fact]
    public void SkippingAgreesWithFileByFileMatching()
    {
        string[] paths = ["a", "a/b", "a/b/c", "a/b/c/d.txt", "a/x.md", "b", "b/keep.md", "b/c/keep.md", "c/d/e"];
        string[] files =
        [
            "a\n!a/b/c/*.txt",
            "*\n!**/keep.md",
            "a\nb\n!b/keep.md",
            "**/c\n!a/b/c/d.txt",
            "a/*\n!a/b",
        ];
        foreach (var text in files)
        {
            var matcher = IgnoreMatcher.FromText(text);
            foreach (var dir in paths)
            {
                if (matcher.CanSkipDirectory(dir))
                {
                    foreach (var below in paths.Where(p => p.StartsWith(dir + "/", StringComparison.Ordinal)))
                    {
                        Assert.True(matcher.IsExcluded(below), $"{text.Replace('\n', '|')}: skipped {dir} but {below} is included");
                    }
                }
            }
        }
    }

    [Theory]
    [InlineData("[a")]
    [InlineData("foo/[a-")]
    [InlineData("[]")]
    [InlineData("[z-a]")]
    [InlineData("a\\")]
    [InlineData("[-a]")]
    [InlineData("!")]
    [InlineData("! ")]
    public void ABadPatternIsAnInvalidArgumentNamingIt(string pattern)
    {
        var e = Assert.Throws<BerthException>(() => IgnoreFile.Parse("ok\n" + pattern + "\n"));
        Assert.Equal(ErrorKind.InvalidArgument, e.Kind);
        Assert.Contains("line 2", e.Message, StringComparison.Ordinal);
        Assert.Contains("`" + pattern.Trim() + "`", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ParseCleansPatternsAndMarksExceptions()
    {
        var patterns = IgnoreFile.Parse("\uFEFF# c\r\n/a/b/../c/\r\n\r\n ! /d//e \n**/x\n");
        Assert.Equal(["a/c", "!d/e", "**/x"], patterns.Select(p => p.ToString()));
        Assert.False(patterns[0].IsException);
        Assert.True(patterns[1].IsException);
    }

    [Theory]
    [InlineData("", ".")]
    [InlineData("/", "/")]
    [InlineData("a//b/./c/", "a/b/c")]
    [InlineData("../a/../..", "../..")]
    [InlineData("/../a", "/a")]
    [InlineData("a/..", ".")]
    public void CleanPathIsGosClean(string path, string clean) => Assert.Equal(clean, IgnoreFile.CleanPath(path));
}
