using System.Text;
using System.Text.RegularExpressions;
using Berth.Errdefs;

namespace Berth.Build.Ignore;

/// <summary>
/// One cleaned <c>.dockerignore</c> pattern, compiled the way moby/patternmatcher compiles it:
/// <c>*</c> and <c>?</c> stay inside one path element, <c>[...]</c> is a character class
/// (<c>^</c> negates), <c>\</c> escapes the next character, <c>**</c> matches any number of
/// directories (zero included) and a trailing <c>**</c> matches everything below.
/// </summary>
public sealed class IgnorePattern
{
    private readonly Regex _regex;

    private IgnorePattern(string pattern, bool isException, Regex regex)
    {
        Pattern = pattern;
        IsException = isException;
        _regex = regex;
    }

    /// <summary>The cleaned pattern, without the leading <c>!</c>.</summary>
    public string Pattern { get; }

    /// <summary>True for a <c>!</c> pattern, which re-includes what it matches.</summary>
    public bool IsException { get; }

    /// <summary>
    /// Compiles <paramref name="pattern"/> (already cleaned, without <c>!</c>); a malformed one
    /// throws <see cref="BerthException"/> InvalidArgument naming it.
    /// </summary>
    public static IgnorePattern Create(string pattern, bool isException)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        var shown = (isException ? "!" : "") + pattern;
        if (pattern.Length == 0)
        {
            throw BerthException.InvalidArgument($"invalid .dockerignore pattern `{shown}`: empty pattern");
        }
        string body;
        try
        {
            body = Translate(pattern);
        }
        catch (FormatException e)
        {
            throw BerthException.InvalidArgument($"invalid .dockerignore pattern `{shown}`: {e.Message}");
        }
        var regex = new Regex(@"\A" + body + @"\z", RegexOptions.CultureInvariant | RegexOptions.NonBacktracking);
        return new IgnorePattern(pattern, isException, regex);
    }

    /// <summary>Whether the pattern matches <paramref name="path"/> itself (not its parents).</summary>
    public bool Matches(string path) => _regex.IsMatch(path);

    public override string ToString() => (IsException ? "!" : "") + Pattern;

    /// <summary>
    /// The regular expression for a glob, after moby/patternmatcher's compile, with the syntax
    /// checks Go's filepath.Match makes (docker validates every pattern with it).
    /// </summary>
    internal static string Translate(string pattern)
    {
        var sb = new StringBuilder();
        var i = 0;
        while (i < pattern.Length)
        {
            var ch = pattern[i++];
            switch (ch)
            {
                case '*':
                    if (i < pattern.Length && pattern[i] == '*')
                    {
                        i++;
                        if (i < pattern.Length && pattern[i] == '/')
                        {
                            i++;
                        }
                        sb.Append(i == pattern.Length ? ".*" : "(?:.*/)?");
                    }
                    else
                    {
                        sb.Append(NotSlash).Append('*');
                    }
                    break;
                case '?':
                    sb.Append("(?:").Append(SurrogatePair).Append('|').Append(NotSlash).Append(')');
                    break;
                case '\\':
                    if (i == pattern.Length)
                    {
                        throw new FormatException("trailing backslash");
                    }
                    i = AppendLiteral(sb, pattern, i);
                    break;
                case '[':
                    i = AppendClass(sb, pattern, i);
                    break;
                default:
                    i = AppendLiteral(sb, pattern, i - 1);
                    break;
            }
        }
        return sb.ToString();
    }

    private const string NotSlash = "[^/]";
    private const string SurrogatePair = @"[\uD800-\uDBFF][\uDC00-\uDFFF]";

    private static int AppendLiteral(StringBuilder sb, string pattern, int i)
    {
        var len = char.IsHighSurrogate(pattern[i]) && i + 1 < pattern.Length && char.IsLowSurrogate(pattern[i + 1]) ? 2 : 1;
        sb.Append(Regex.Escape(pattern.Substring(i, len)));
        return i + len;
    }

    /// <summary>A character class after the <c>[</c> at <paramref name="i"/>; returns the index after <c>]</c>.</summary>
    private static int AppendClass(StringBuilder sb, string pattern, int i)
    {
        var negated = i < pattern.Length && pattern[i] == '^';
        if (negated)
        {
            i++;
        }
        var ranges = new List<(int Lo, int Hi)>();
        while (true)
        {
            if (i == pattern.Length)
            {
                throw new FormatException("unterminated character class");
            }
            if (pattern[i] == ']' && ranges.Count > 0)
            {
                i++;
                break;
            }
            var lo = ClassChar(pattern, ref i);
            var hi = lo;
            if (i < pattern.Length && pattern[i] == '-')
            {
                i++;
                hi = ClassChar(pattern, ref i);
                if (hi < lo)
                {
                    throw new FormatException("character class range out of order");
                }
            }
            ranges.Add((lo, hi));
        }

        // Characters are runes, as in Go: a class matches one code point. A negated class is
        // turned into the positive class of its complement, so supplementary code points
        // (two UTF-16 units) are handled the same way either way.
        if (negated)
        {
            ranges = Complement(ranges);
        }
        var bmp = new StringBuilder();
        var alternatives = new List<string>();
        foreach (var (lo, hi) in ranges)
        {
            if (lo <= 0xFFFF)
            {
                var bmpHi = Math.Min(hi, 0xFFFF);
                bmp.Append(CultureFree($"\\u{lo:X4}-\\u{bmpHi:X4}"));
            }
            if (hi > 0xFFFF)
            {
                alternatives.Add(SupplementaryRange(Math.Max(lo, 0x10000), hi));
            }
        }
        if (bmp.Length > 0)
        {
            alternatives.Insert(0, "[" + bmp + "]");
        }
        if (alternatives.Count == 0)
        {
            alternatives.Add(@"[^\u0000-\uFFFF]"); // matches nothing
        }
        sb.Append("(?:").Append(string.Join("|", alternatives)).Append(')');
        return i;
    }

    private static List<(int Lo, int Hi)> Complement(List<(int Lo, int Hi)> ranges)
    {
        ranges.Sort();
        var result = new List<(int Lo, int Hi)>();
        var next = 0;
        foreach (var (lo, hi) in ranges)
        {
            if (lo > next)
            {
                result.Add((next, lo - 1));
            }
            next = Math.Max(next, hi + 1);
        }
        if (next <= 0x10FFFF)
        {
            result.Add((next, 0x10FFFF));
        }
        return result;
    }

    private static string CultureFree(FormattableString s) => FormattableString.Invariant(s);

    /// <summary>UTF-16 for the code points lo..hi (all above U+FFFF): at most three alternatives.</summary>
    private static string SupplementaryRange(int lo, int hi)
    {
        static (int High, int Low) Split(int cp) => (0xD800 + ((cp - 0x10000) >> 10), 0xDC00 + ((cp - 0x10000) & 0x3FF));
        static string Pair(int hLo, int hHi, int lLo, int lHi) =>
            FormattableString.Invariant($"[\\u{hLo:X4}-\\u{hHi:X4}][\\u{lLo:X4}-\\u{lHi:X4}]");
        var (h1, l1) = Split(lo);
        var (h2, l2) = Split(hi);
        if (h1 == h2)
        {
            return Pair(h1, h1, l1, l2);
        }
        var alternatives = new List<string> { Pair(h1, h1, l1, 0xDFFF) };
        if (h2 - h1 > 1)
        {
            alternatives.Add(Pair(h1 + 1, h2 - 1, 0xDC00, 0xDFFF));
        }
        alternatives.Add(Pair(h2, h2, 0xDC00, l2));
        return string.Join("|", alternatives);
    }

    /// <summary>Go's getEsc: one (possibly escaped) code point of a class.</summary>
    private static int ClassChar(string pattern, ref int i)
    {
        if (i == pattern.Length || pattern[i] == '-' || pattern[i] == ']')
        {
            throw new FormatException(i == pattern.Length ? "unterminated character class" : $"unexpected `{pattern[i]}` in character class");
        }
        if (pattern[i] == '\\')
        {
            i++;
            if (i == pattern.Length)
            {
                throw new FormatException("unterminated character class");
            }
        }
        var cp = CodePointAt(pattern, i, out var len);
        i += len;
        if (i == pattern.Length)
        {
            throw new FormatException("unterminated character class");
        }
        return cp;
    }

    private static int CodePointAt(string s, int i, out int length)
    {
        if (char.IsHighSurrogate(s[i]) && i + 1 < s.Length && char.IsLowSurrogate(s[i + 1]))
        {
            length = 2;
            return char.ConvertToUtf32(s[i], s[i + 1]);
        }
        length = 1;
        return s[i];
    }
}
