using System.Text;
using Berth.Errdefs;

namespace Berth.Build.Ignore;

/// <summary>
/// <c>.dockerignore</c> files, read as moby/patternmatcher's ignorefile.ReadAll reads them.
/// </summary>
public static class IgnoreFile
{
    /// <summary>
    /// The patterns of a <c>.dockerignore</c> text. A line whose first character is <c>#</c> is a
    /// comment (docker checks before trimming, so an indented <c>#</c> is a pattern); lines are
    /// trimmed and blank ones dropped; a leading <c>!</c> makes an exception; each pattern is
    /// cleaned like Go's filepath.Clean and loses a leading <c>/</c>. A malformed pattern throws
    /// <see cref="BerthException"/> InvalidArgument naming it and its line.
    /// </summary>
    public static IReadOnlyList<IgnorePattern> Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var patterns = new List<IgnorePattern>();
        var lines = text.Split('\n');
        for (var n = 0; n < lines.Length; n++)
        {
            var line = lines[n];
            if (line.EndsWith('\r'))
            {
                line = line[..^1];
            }
            if (n == 0 && line.StartsWith('\uFEFF'))
            {
                line = line[1..];
            }
            if (line.StartsWith('#'))
            {
                continue;
            }
            line = line.Trim();
            if (line.Length == 0)
            {
                continue;
            }
            var exception = line[0] == '!';
            var pattern = exception ? line[1..].Trim() : line;
            if (pattern.Length > 0)
            {
                pattern = CleanPath(pattern);
                if (pattern.Length > 1 && pattern[0] == '/')
                {
                    pattern = pattern[1..];
                }
            }
            try
            {
                if (exception && pattern.Length == 0)
                {
                    throw BerthException.InvalidArgument("illegal exclusion pattern `!`");
                }
                patterns.Add(IgnorePattern.Create(pattern, exception));
            }
            catch (BerthException e)
            {
                throw e.Wrap($".dockerignore line {n + 1}");
            }
        }
        return patterns;
    }

    /// <summary>
    /// The ignore file docker uses for a build: <c>&lt;Dockerfile&gt;.dockerignore</c> next to the
    /// Dockerfile if it exists, else <c>.dockerignore</c> in the context root, else null.
    /// A relative <paramref name="dockerfilePath"/> is taken relative to the context; null means
    /// <c>Dockerfile</c> in the context.
    /// </summary>
    public static string? Locate(string contextDir, string? dockerfilePath)
    {
        ArgumentNullException.ThrowIfNull(contextDir);
        var dockerfile = Path.Combine(contextDir, string.IsNullOrEmpty(dockerfilePath) ? "Dockerfile" : dockerfilePath);
        var specific = dockerfile + ".dockerignore";
        if (File.Exists(specific))
        {
            return specific;
        }
        var general = Path.Combine(contextDir, ".dockerignore");
        return File.Exists(general) ? general : null;
    }

    /// <summary>Reads and parses the ignore file <see cref="Locate"/> finds; no file, no patterns.</summary>
    public static IReadOnlyList<IgnorePattern> Load(string contextDir, string? dockerfilePath)
    {
        var path = Locate(contextDir, dockerfilePath);
        if (path is null)
        {
            return [];
        }
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw BerthException.Wrap(e, $"read `{path}`");
        }
        try
        {
            return Parse(text);
        }
        catch (BerthException e)
        {
            throw e.Wrap($"parse `{path}`");
        }
    }

    /// <summary>Go's path.Clean: the shortest equivalent slash path, lexically.</summary>
    public static string CleanPath(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (path.Length == 0)
        {
            return ".";
        }
        var rooted = path[0] == '/';
        var parts = new List<string>();
        foreach (var part in path.Split('/'))
        {
            if (part.Length == 0 || part == ".")
            {
                continue;
            }
            if (part == "..")
            {
                if (parts.Count > 0 && parts[^1] != "..")
                {
                    parts.RemoveAt(parts.Count - 1);
                }
                else if (!rooted)
                {
                    parts.Add(part);
                }
                continue;
            }
            parts.Add(part);
        }
        var sb = new StringBuilder();
        if (rooted)
        {
            sb.Append('/');
        }
        sb.AppendJoin('/', parts);
        return sb.Length == 0 ? "." : sb.ToString();
    }
}
