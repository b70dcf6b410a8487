using System.Text.RegularExpressions;

namespace Berth.Build.Ignore;

/// <summary>
/// Applies <c>.dockerignore</c> patterns as docker does (moby/patternmatcher's
/// MatchesOrParentMatches): patterns are read in order and the last one that matches the path
/// or one of its parent directories wins; a <c>!</c> pattern re-includes.
/// </summary>
public sealed class IgnoreMatcher
{
    private readonly IgnorePattern[] _patterns;
    private readonly IgnorePattern[] _exceptions;
    private readonly Dictionary<string, string[]?> _exceptionSegments = new(StringComparer.Ordinal);

    public IgnoreMatcher(IEnumerable<IgnorePattern> patterns)
    {
        ArgumentNullException.ThrowIfNull(patterns);
        _patterns = [.. patterns];
        _exceptions = [.. _patterns.Where(p => p.IsException)];
    }

    /// <summary>A matcher for the text of a <c>.dockerignore</c> file.</summary>
    public static IgnoreMatcher FromText(string text) => new(IgnoreFile.Parse(text));

    public IReadOnlyList<IgnorePattern> Patterns => _patterns;

    /// <summary>True when some pattern is an exception (<c>!</c>).</summary>
    public bool HasExceptions => _exceptions.Length > 0;

    /// <summary>
    /// Whether <paramref name="relativePath"/> (forward slashes, relative to the context root)
    /// is left out of the build context.
    /// </summary>
    public bool IsExcluded(string relativePath)
    {
        var path = Normalize(relativePath);
        var slash = path.LastIndexOf('/');
        var parents = slash < 0 ? [] : ParentsOf(path[..slash]);
        var excluded = false;
        foreach (var pattern in _patterns)
        {
            // An exclusion only matters while the path is included, an exception only while excluded.
            if (pattern.IsException != excluded)
            {
                continue;
            }
            var match = pattern.Matches(path);
            for (var i = 0; !match && i < parents.Length; i++)
            {
                match = pattern.Matches(parents[i]);
            }
            if (match)
            {
                excluded = !pattern.IsException;
            }
        }
        return excluded;
    }

    /// <summary>
    /// Whether a walk of the context can skip the directory <paramref name="relativeDir"/> and
    /// everything below it: the directory is excluded and no exception could match a path inside
    /// it. (Docker's walk checks only for exceptions that begin with the directory's path; this
    /// check also sees through wildcards, and answers false whenever it cannot be sure.)
    /// </summary>
    public bool CanSkipDirectory(string relativeDir)
    {
        if (!IsExcluded(relativeDir))
        {
            return false;
        }
        var dir = Normalize(relativeDir);
        var dirSegments = dir == "." ? [] : dir.Split('/');
        foreach (var exception in _exceptions)
        {
            if (CouldMatchBelow(exception, dirSegments))
            {
                return false;
            }
        }
        return true;
    }

    private bool CouldMatchBelow(IgnorePattern exception, string[] dirSegments)
    {
        var segments = SegmentRegexes(exception);
        if (segments is null)
        {
            return true; // a **, a class or an escape that might match '/': cannot be sure
        }
        for (var i = 0; i < segments.Length; i++)
        {
            if (i == dirSegments.Length)
            {
                return true; // the pattern goes on below the directory
            }
            if (!Regex.IsMatch(dirSegments[i], segments[i], RegexOptions.CultureInvariant | RegexOptions.NonBacktracking))
            {
                return false;
            }
        }
        // The pattern matches the directory or an ancestor, at a fixed depth: nothing strictly
        // below the directory matches it, so it treats everything below as it treats the directory.
        return false;
    }

    private string[]? SegmentRegexes(IgnorePattern exception)
    {
        lock (_exceptionSegments)
        {
            if (_exceptionSegments.TryGetValue(exception.Pattern, out var cached))
            {
                return cached;
            }
            string[]? result = null;
            if (!exception.Pattern.Contains("**", StringComparison.Ordinal) && !exception.Pattern.Contains('[') && !exception.Pattern.Contains('\\'))
            {
                try
                {
                    result = [.. SplitSegments(exception.Pattern).Select(s => @"\A" + IgnorePattern.Translate(s) + @"\z")];
                }
                catch (FormatException)
                {
                    result = null;
                }
            }
            _exceptionSegments[exception.Pattern] = result;
            return result;
        }
    }

    /// <summary>Splits at the slashes that separate path elements (not an escaped one).</summary>
    private static List<string> SplitSegments(string pattern)
    {
        var segments = new List<string>();
        var start = 0;
        for (var i = 0; i < pattern.Length; i++)
        {
            if (pattern[i] == '\\')
            {
                i++;
            }
            else if (pattern[i] == '/')
            {
                segments.Add(pattern[start..i]);
                start = i + 1;
            }
        }
        segments.Add(pattern[start..]);
        return segments;
    }

    private static string Normalize(string relativePath)
    {
        ArgumentNullException.ThrowIfNull(relativePath);
        var path = IgnoreFile.CleanPath(relativePath);
        while (path.Length > 1 && path[0] == '/')
        {
            path = path[1..];
        }
        return path;
    }

    private static string[] ParentsOf(string dir)
    {
        var parents = new List<string>();
        for (var i = 0; i < dir.Length; i++)
        {
            if (dir[i] == '/')
            {
                parents.Add(dir[..i]);
            }
        }
        parents.Add(dir);
        return [.. parents];
    }
}
