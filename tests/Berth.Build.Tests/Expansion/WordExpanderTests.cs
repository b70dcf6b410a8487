using Berth.Build.Expansion;
using Berth.Errdefs;

namespace Berth.Build.Tests.Expansion;

public sealed class WordExpanderTests
{
    // The environment every case sees unless it says otherwise.
    private static readonly Dictionary<string, string> Env = new()
    {
        ["A"] = "a",
        ["B"] = "bee",
        ["EMPTY"] = "",
        ["SPACED"] = "x  y",
        ["PATH"] = "/usr/bin",
        ["_u"] = "under",
        ["V1"] = "one",
        ["1"] = "first",
        ["ÄÖ"] = "umlaut",
        ["名前"] = "name",
        ["Q"] = "it's \"q\"",
    };

    private static string? Lookup(string name) => Env.TryGetValue(name, out var v) ? v : null;

    // (input, expected); escape is '\'.
    public static TheoryData<string, string> Expansions => new()
    {
        // plain text
        { "", "" },
        { "hello", "hello" },
        { "héllo wörld ✓ 😀", "héllo wörld ✓ 😀" },
        // $VAR and ${VAR}
        { "$A", "a" },
        { "${A}", "a" },
        { "x$A", "xa" },
        { "$A/$B", "a/bee" },
        { "${A}b", "ab" },
        { "$Ab", "" },
        { "$_u", "under" },
        { "$V1", "one" },
        { "$1x", "firstx" },
        { "$PATH:/bin", "/usr/bin:/bin" },
        { "$ÄÖ", "umlaut" },
        { "${名前}!", "name!" },
        // unset → empty
        { "$NOPE", "" },
        { "${NOPE}", "" },
        { "a${NOPE}b", "ab" },
        { "$EMPTY", "" },
        // '$' before a non-name character stays literal
        { "$", "$" },
        { "a$", "a$" },
        { "$/x", "$/x" },
        { "$ x", "$ x" },
        { "$.", "$." },
        { "100$%", "100$%" },
        // the shell's special parameters are names to docker (looked up, so unset → empty)
        { "$$", "" },
        { "$#x", "x" },
        // :- and -
        { "${NOPE:-def}", "def" },
        { "${EMPTY:-def}", "def" },
        { "${A:-def}", "a" },
        { "${NOPE-def}", "def" },
        { "${EMPTY-def}", "" },
        { "${A-def}", "a" },
        { "${NOPE:-}", "" },
        { "${NOPE-}", "" },
        { "${NOPE:-a b c}", "a b c" },
        { "${NOPE:-x}y", "xy" },
        // :+ and +
        { "${A:+alt}", "alt" },
        { "${EMPTY:+alt}", "" },
        { "${NOPE:+alt}", "" },
        { "${A+alt}", "alt" },
        { "${EMPTY+alt}", "alt" },
        { "${NOPE+alt}", "" },
        { "${A:+}", "" },
        // :? and ? when set
        { "${A:?must be set}", "a" },
        { "${EMPTY?must be set}", "" },
        // nested expansion in the word
        { "${NOPE:-$A}", "a" },
        { "${NOPE:-${B}}", "bee" },
        { "${NOPE:-${NOPE2:-deep}}", "deep" },
        { "${A:+[$B]}", "[bee]" },
        { "${NOPE:-'$A'}", "$A" },
        { "${NOPE:-\"$A b\"}", "a b" },
        { "${NOPE:-\\}}", "}" },
        // single quotes: no expansion, no escapes
        { "'$A'", "$A" },
        { "'${A}'", "${A}" },
        { "'a\\b'", "a\\b" },
        { "'a\"b'", "a\"b" },
        { "x'y'z", "xyz" },
        { "''", "" },
        // double quotes: expansion inside, quotes removed
        { "\"$A\"", "a" },
        { "\"$A $B\"", "a bee" },
        { "\"a'b'c\"", "a'b'c" },
        { "\"\\\"\"", "\"" },
        { "\"\\$A\"", "$A" },
        { "\"\\\\\"", "\\" },
        { "\"\\n\"", "\\n" },
        { "\"${NOPE:-d}\"", "d" },
        { "\"$Q\"", "it's \"q\"" },
        // the escape character
        { "\\$A", "$A" },
        { "\\${A}", "${A}" },
        { "a\\ b", "a b" },
        { "\\\\", "\\" },
        { "\\'$A\\'", "'a'" },
        { "\\\"x\\\"", "\"x\"" },
        { "abc\\", "abc" },
        { "C:\\\\dir", "C:\\dir" },
    };

    [Theory]
    [MemberData(nameof(Expansions))]
    public void Expands(string input, string expected) =>
        Assert.Equal(expected, WordExpander.Expand(input, Lookup));

    // (input, expected) with the backtick as the escape character (# escape=`).
    public static TheoryData<string, string> BacktickExpansions => new()
    {
        { "`$A", "$A" },
        { "C:\\dir\\$A", "C:\\dir\\a" },
        { "\"`$A\"", "$A" },
        { "\"`\"\"", "\"" },
        { "``", "`" },
        { "a` b", "a b" },
        { "\\$A", "\\a" },
    };

    [Theory]
    [MemberData(nameof(BacktickExpansions))]
    public void ExpandsWithTheBacktickEscape(string input, string expected) =>
        Assert.Equal(expected, WordExpander.Expand(input, Lookup, '`'));

    // (input, a fragment the error message must hold).
    public static TheoryData<string, string> Errors => new()
    {
        { "${NOPE:?must be set}", "NOPE: must be set" },
        { "${EMPTY:?must not be empty}", "EMPTY: must not be empty" },
        { "${NOPE?gone}", "NOPE: gone" },
        { "${NOPE:?}", "NOPE: parameter is unset or empty" },
        { "${NOPE?}", "NOPE: parameter is unset" },
        { "x ${NOPE:?need ${A}}", "NOPE: need a" },
        { "${A", "missing '}'" },
        { "${", "missing '}'" },
        { "${A:-x", "missing '}'" },
        { "${A:-${B}", "missing '}'" },
        { "${A:", "missing '}'" },
        { "${}", "bad substitution" },
        { "${:-x}", "bad substitution" },
        { "${A!}", "bad substitution" },
        { "${A:x}", "bad substitution" },
        { "${A B}", "bad substitution" },
        { "'abc", "matching single-quote" },
        { "\"abc", "matching double-quote" },
        { "\"abc\\\"", "matching double-quote" },
        { "${NOPE:-'x}", "matching single-quote" },
    };

    [Theory]
    [MemberData(nameof(Errors))]
    public void RejectsWithAClearMessage(string input, string fragment)
    {
        var e = Assert.Throws<BerthException>(() => WordExpander.Expand(input, Lookup));
        Assert.Equal(ErrorKind.InvalidArgument, e.Kind);
        Assert.Contains(fragment, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ExpandWordsRejectsToo()
    {
        var e = Assert.Throws<BerthException>(() => WordExpander.ExpandWords("a ${NOPE:?x} b", Lookup));
        Assert.Equal(ErrorKind.InvalidArgument, e.Kind);
    }

    // (input, expected words joined by '|').
    public static TheoryData<string, string> WordLists => new()
    {
        { "80 443/tcp", "80|443/tcp" },
        { "  80\t 443  ", "80|443" },
        { "", "" },
        { "   ", "" },
        { "/data /logs", "/data|/logs" },
        { "$A $B", "a|bee" },
        { "$SPACED", "x|y" },
        { "${SPACED}z", "x|yz" },
        { "\"$SPACED\"", "x  y" },
        { "${NOPE:-p q}", "p|q" },
        { "\"${NOPE:-p q}\"", "p q" },
        { "'a b' c", "a b|c" },
        { "\"a b\" c", "a b|c" },
        { "a\\ b c", "a b|c" },
        { "key=\"hello world\" other=$A", "key=hello world|other=a" },
        { "k='$A x' k2=\"$A x\"", "k=$A x|k2=a x" },
        { "$NOPE x", "x" },
        { "x$NOPE y", "x|y" },
        { "a'b c'd", "ab cd" },
        { "ü ✓ 😀", "ü|✓|😀" },
        { "\\$A $", "$A|$" },
    };

    [Theory]
    [MemberData(nameof(WordLists))]
    public void SplitsIntoWords(string input, string expected)
    {
        var want = expected.Length == 0 ? [] : expected.Split('|');
        Assert.Equal(want, WordExpander.ExpandWords(input, Lookup));
    }

    [Fact]
    public void ExpandWordsHonoursTheBacktickEscape() =>
        Assert.Equal(["a b", "$A", "C:\\x"], WordExpander.ExpandWords("a` b `$A C:\\x", Lookup, '`'));

    [Theory]
    [InlineData("ADD", true)]
    [InlineData("ARG", true)]
    [InlineData("COPY", true)]
    [InlineData("ENV", true)]
    [InlineData("EXPOSE", true)]
    [InlineData("FROM", true)]
    [InlineData("LABEL", true)]
    [InlineData("STOPSIGNAL", true)]
    [InlineData("USER", true)]
    [InlineData("VOLUME", true)]
    [InlineData("WORKDIR", true)]
    [InlineData("workdir", true)]
    [InlineData("Env", true)]
    [InlineData("RUN", false)]
    [InlineData("CMD", false)]
    [InlineData("ENTRYPOINT", false)]
    [InlineData("ONBUILD", false)]
    [InlineData("SHELL", false)]
    [InlineData("HEALTHCHECK", false)]
    [InlineData("MAINTAINER", false)]
    [InlineData("", false)]
    [InlineData("BOGUS", false)]
    public void KnowsWhichInstructionsExpand(string instruction, bool expands) =>
        Assert.Equal(expands, WordExpander.ExpandsVariables(instruction));
}
