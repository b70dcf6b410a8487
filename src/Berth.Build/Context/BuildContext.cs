using Berth.Build.Ignore;
using Berth.Errdefs;

namespace Berth.Build.Context;

/// <summary>
/// A build context: a directory and the <c>.dockerignore</c> rules that leave parts of it out.
/// Walks never follow symlinks (a symlink is an entry of its own), so nothing outside the
/// directory is ever read through the context.
/// </summary>
public sealed class BuildContext
{
    public BuildContext(string directory, IgnoreMatcher matcher)
    {
        ArgumentNullException.ThrowIfNull(directory);
        ArgumentNullException.ThrowIfNull(matcher);
        Directory = Path.GetFullPath(directory);
        Matcher = matcher;
    }

    /// <summary>The context with the ignore file docker would use for <paramref name="dockerfilePath"/>.</summary>
    public static BuildContext Open(string directory, string? dockerfilePath = null) =>
        new(directory, new IgnoreMatcher(IgnoreFile.Load(directory, dockerfilePath)));

    public string Directory { get; }

    public IgnoreMatcher Matcher { get; }

    /// <summary>Every path in the context that is not excluded, each directory's children in ordinal order.</summary>
    public IEnumerable<ContextEntry> Enumerate() => EnumerateBelow(".");

    /// <summary>
    /// The entries strictly below the directory <paramref name="relativeDir"/> ("." for the root)
    /// that are not excluded, in the order <see cref="Enumerate"/> gives.
    /// </summary>
    public IEnumerable<ContextEntry> EnumerateBelow(string relativeDir)
    {
        ArgumentNullException.ThrowIfNull(relativeDir);
        return Walk(CleanRelative(relativeDir, relativeDir));
    }

    private IEnumerable<ContextEntry> Walk(string relativeDir)
    {
        var full = FullPathOf(relativeDir);
        string[] names;
        try
        {
            names = [.. System.IO.Directory.EnumerateFileSystemEntries(full).Select(Path.GetFileName).OfType<string>()];
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw BerthException.Wrap(e, $"read build context directory `{relativeDir}`");
        }
        Array.Sort(names, StringComparer.Ordinal);
        foreach (var name in names)
        {
            var rel = relativeDir == "." ? name : relativeDir + "/" + name;
            var path = Path.Combine(full, name);
            if (FileStat.TryLstat(path) is not { } stat)
            {
                continue; // vanished during the walk
            }
            if (stat.IsDirectory)
            {
                if (Matcher.CanSkipDirectory(rel))
                {
                    continue;
                }
                if (!Matcher.IsExcluded(rel))
                {
                    yield return new ContextEntry(rel, path, stat);
                }
                foreach (var child in Walk(rel))
                {
                    yield return child;
                }
            }
            else if (!Matcher.IsExcluded(rel))
            {
                yield return new ContextEntry(rel, path, stat);
            }
        }
    }

    /// <summary>The entry at <paramref name="relativePath"/> if it exists and is not excluded.</summary>
    public ContextEntry? Lookup(string relativePath)
    {
        var rel = CleanRelative(relativePath, relativePath);
        if (rel != "." && Matcher.IsExcluded(rel))
        {
            return null;
        }
        // Refuse to pass through a symlinked directory on the way.
        var parts = rel == "." ? [] : rel.Split('/');
        var current = Directory;
        for (var i = 0; i < parts.Length - 1; i++)
        {
            current = Path.Combine(current, parts[i]);
            if (FileStat.TryLstat(current) is not { IsDirectory: true })
            {
                return null;
            }
        }
        var full = FullPathOf(rel);
        return FileStat.TryLstat(full) is { } stat ? new ContextEntry(rel, full, stat) : null;
    }

    /// <summary>
    /// Expands COPY/ADD sources as docker does: each is taken relative to the context root (a
    /// leading <c>/</c> too), cleaned, and matched per path component with Go's
    /// <c>filepath.Match</c> (<c>*</c>, <c>?</c>, <c>[...]</c>). Excluded paths do not match.
    /// Returns context-relative paths, each pattern's matches in ordinal order, without repeats.
    /// </summary>
    /// <exception cref="BerthException">
    /// InvalidArgument for a source that leaves the context; NotFound for one that matches nothing.
    /// </exception>
    public IReadOnlyList<string> ResolveSources(IReadOnlyList<string> patterns)
    {
        ArgumentNullException.ThrowIfNull(patterns);
        var result = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var pattern in patterns)
        {
            var rel = CleanRelative(pattern, pattern);
            var matches = new List<string>();
            if (rel == ".")
            {
                matches.Add(".");
            }
            else
            {
                MatchComponents(".", rel.Split('/'), 0, matches);
            }
            if (matches.Count == 0)
            {
                throw BerthException.NotFound(
                    $"COPY failed: file not found in build context or excluded by .dockerignore: stat {rel}: file does not exist");
            }
            matches.Sort(StringComparer.Ordinal);
            foreach (var m in matches)
            {
                if (seen.Add(m))
                {
                    result.Add(m);
                }
            }
        }
        return result;
    }

    private void MatchComponents(string dir, string[] parts, int index, List<string> matches)
    {
        var part = parts[index];
        var last = index == parts.Length - 1;
        IEnumerable<string> candidates;
        if (GoGlob.HasMeta(part))
        {
            string[] names;
            try
            {
                names = [.. System.IO.Directory.EnumerateFileSystemEntries(FullPathOf(dir)).Select(Path.GetFileName).OfType<string>()];
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return;
            }
            candidates = names.Where(n => GoGlob.Match(part, n));
        }
        else
        {
            candidates = [part];
        }
        foreach (var name in candidates)
        {
            var rel = dir == "." ? name : dir + "/" + name;
            if (FileStat.TryLstat(FullPathOf(rel)) is not { } stat || Matcher.IsExcluded(rel) && (last || Matcher.CanSkipDirectory(rel)))
            {
                continue;
            }
            if (last)
            {
                matches.Add(rel);
            }
            else if (stat.IsDirectory)
            {
                MatchComponents(rel, parts, index + 1, matches);
            }
        }
    }

    /// <summary>
    /// <paramref name="path"/> relative to the context root, cleaned; a leading slash means the root.
    /// Throws InvalidArgument naming <paramref name="original"/> if it climbs out.
    /// </summary>
    public static string CleanRelative(string path, string original)
    {
        ArgumentNullException.ThrowIfNull(path);
        var clean = IgnoreFile.CleanPath(path);
        if (clean == ".." || clean.StartsWith("../", StringComparison.Ordinal))
        {
            throw BerthException.InvalidArgument($"COPY failed: forbidden path outside the build context: {original}");
        }
        clean = clean.TrimStart('/');
        return clean.Length == 0 ? "." : clean;
    }

    private string FullPathOf(string relative) =>
        relative == "." ? Directory : Path.Combine(Directory, relative);
}
