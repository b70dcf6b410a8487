using Berth.Errdefs;

namespace Berth.Build.Context;

/// <summary>
/// Go's <c>filepath.Match</c> for one path component: <c>*</c> (any run of characters),
/// <c>?</c> (one character), <c>[...]</c> classes with <c>^</c> negation and <c>a-z</c> ranges,
/// and <c>\</c> escaping. A malformed pattern is an InvalidArgument error, as Go's ErrBadPattern.
/// </summary>
public static class GoGlob
{
    /// <summary>Whether <paramref name="pattern"/> has a character Go treats as magic.</summary>
    public static bool HasMeta(string pattern) => pattern.AsSpan().IndexOfAny("*?[\\") >= 0;

    public static bool Match(string pattern, string name)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        ArgumentNullException.ThrowIfNull(name);
        Validate(pattern);
        return MatchAt(pattern, 0, name, 0);
    }

    private static bool MatchAt(string p, int pi, string s, int si)
    {
        while (pi < p.Length)
        {
            var c = p[pi];
            if (c == '*')
            {
                while (pi < p.Length && p[pi] == '*')
                {
                    pi++;
                }
                if (pi == p.Length)
                {
                    return s.IndexOf('/', si) < 0;
                }
                for (var k = si; k <= s.Length; k++)
                {
                    if (MatchAt(p, pi, s, k))
                    {
                        return true;
                    }
                    if (k < s.Length && s[k] == '/')
                    {
                        break;
                    }
                }
                return false;
            }
            if (si >= s.Length || s[si] == '/')
            {
                return false;
            }
            if (c == '?')
            {
                pi++;
                si++;
            }
            else if (c == '[')
            {
                var (matched, next) = MatchClass(p, pi + 1, s[si]);
                if (!matched)
                {
                    return false;
                }
                pi = next;
                si++;
            }
            else
            {
                if (c == '\\')
                {
                    pi++;
                }
                if (p[pi] != s[si])
                {
                    return false;
                }
                pi++;
                si++;
            }
        }
        return si == s.Length;
    }

    /// <summary>Matches <paramref name="ch"/> against the class starting after '['; returns the index after ']'.</summary>
    private static (bool Matched, int Next) MatchClass(string p, int i, char ch)
    {
        var negated = false;
        if (i < p.Length && p[i] == '^')
        {
            negated = true;
            i++;
        }
        var matched = false;
        var first = true;
        while (true)
        {
            if (i >= p.Length)
            {
                throw BadPattern(p);
            }
            if (p[i] == ']' && !first)
            {
                i++;
                break;
            }
            first = false;
            var lo = ClassChar(p, ref i);
            var hi = lo;
            if (i < p.Length && p[i] == '-')
            {
                i++;
                hi = ClassChar(p, ref i);
                if (hi < lo)
                {
                    throw BadPattern(p);
                }
            }
            if (lo <= ch && ch <= hi)
            {
                matched = true;
            }
        }
        return (matched != negated, i);
    }

    private static char ClassChar(string p, ref int i)
    {
        if (i >= p.Length || p[i] == '-' || p[i] == ']')
        {
            throw BadPattern(p);
        }
        if (p[i] == '\\')
        {
            i++;
            if (i >= p.Length)
            {
                throw BadPattern(p);
            }
        }
        return p[i++];
    }

    /// <summary>Checks the whole pattern is well formed, as Go does before answering.</summary>
    private static void Validate(string p)
    {
        for (var i = 0; i < p.Length; i++)
        {
            if (p[i] == '\\')
            {
                i++;
                if (i >= p.Length)
                {
                    throw BadPattern(p);
                }
            }
            else if (p[i] == '[')
            {
                var (_, next) = MatchClass(p, i + 1, '\0');
                i = next - 1;
            }
        }
    }

    private static BerthException BadPattern(string p) =>
        BerthException.InvalidArgument($"syntax error in pattern `{p}`");
}
