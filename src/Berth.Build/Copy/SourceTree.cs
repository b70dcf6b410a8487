using Berth.Linux.Files;
using Berth.Build.Context;
using Berth.Build.Ignore;
using Berth.Errdefs;

namespace Berth.Build.Copy;

/// <summary>
/// The directory a copy reads from, seen the same way whether it is the build context or a
/// stage's root filesystem: patterns resolve to paths relative to its root, a named symlink is
/// followed inside the root, and walks below a directory never follow symlinks.
/// </summary>
internal abstract class SourceTree
{
    protected SourceTree(string root) => Root = root;

    public string Root { get; }

    /// <summary>Whether copied nodes keep their owners when no --chown is given.</summary>
    public abstract bool PreserveOwner { get; }

    public static SourceTree For(CopySource source) => source switch
    {
        ContextCopySource c => new ContextTree(c.Context),
        RootfsCopySource r => new RootfsTree(r.RootDirectory),
        null => throw new ArgumentNullException(nameof(source)),
        _ => throw BerthException.InvalidArgument($"unknown copy source {source.GetType().Name}"),
    };

    /// <summary>Paths relative to the root matching each pattern, in order, without repeats; NotFound when a pattern matches nothing.</summary>
    public abstract IReadOnlyList<string> Resolve(IReadOnlyList<string> patterns);

    /// <summary>Everything strictly below the directory <paramref name="relativeDir"/>, parents before children, ordinal per directory.</summary>
    public abstract IEnumerable<string> EnumerateBelow(string relativeDir);

    /// <summary>Whether the path is hidden from copies (the build context's <c>.dockerignore</c>).</summary>
    public abstract bool IsHidden(string relativePath);

    public string FullPath(string relative) => relative == "." ? Root : Root.TrimEnd('/') + "/" + relative;

    /// <summary>
    /// Follows <paramref name="relative"/> if it is a symlink (inside the root, as BuildKit's
    /// FollowSymlinks does for a named source) and returns the path it ends at.
    /// </summary>
    public (string Relative, NodeStat Stat) Follow(string relative, string shown)
    {
        var full = FullPath(relative);
        if (NodeStat.Lstat(full) is not { } stat)
        {
            throw NotFound(shown);
        }
        if (!stat.IsSymlink)
        {
            return (relative, stat);
        }
        var resolved = RootPath.Join(Root, relative);
        var rel = RootPath.Relative(Root, resolved);
        if (NodeStat.Lstat(resolved) is not { } target || rel != "." && IsHidden(rel))
        {
            throw NotFound(shown);
        }
        return (rel, target);
    }

    public abstract BerthException NotFound(string shown);

    private static string Trim(string path) => path.Length > 1 ? path.TrimEnd('/') : path;

    private sealed class ContextTree(BuildContext context) : SourceTree(context.Directory)
    {
        public override bool PreserveOwner => false;

        public override IReadOnlyList<string> Resolve(IReadOnlyList<string> patterns) => context.ResolveSources(patterns);

        public override IEnumerable<string> EnumerateBelow(string relativeDir) =>
            context.EnumerateBelow(relativeDir).Select(e => e.RelativePath);

        public override bool IsHidden(string relativePath) => context.Matcher.IsExcluded(relativePath);

        public override BerthException NotFound(string shown) => BerthException.NotFound(
            $"COPY failed: file not found in build context or excluded by .dockerignore: stat {shown}: file does not exist");
    }

    private sealed class RootfsTree(string root) : SourceTree(Trim(Path.GetFullPath(root)))
    {
        public override bool PreserveOwner => true;

        public override bool IsHidden(string relativePath) => false;

        public override BerthException NotFound(string shown) =>
            BerthException.NotFound($"COPY failed: file not found in source stage: stat {shown}: file does not exist");

        public override IReadOnlyList<string> Resolve(IReadOnlyList<string> patterns)
        {
            var result = new List<string>();
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var pattern in patterns)
            {
                // As BuildKit joins a source to "/", ".." stops at the root instead of failing.
                var clean = IgnoreFile.CleanPath("/" + pattern).TrimStart('/');
                var parts = clean.Length == 0 ? [] : clean.Split('/');
                var firstMeta = Array.FindIndex(parts, GoGlob.HasMeta);
                var matches = new List<string>();
                if (firstMeta < 0)
                {
                    var full = RootPath.JoinParent(Root, clean);
                    if (NodeStat.Lstat(full) is not null)
                    {
                        matches.Add(RootPath.Relative(Root, full));
                    }
                }
                else
                {
                    // The part before the first wildcard resolves like any path; below it
                    // matching walks real directories only, as Go's filepath.Walk does.
                    var baseFull = RootPath.Join(Root, string.Join('/', parts[..firstMeta]));
                    if (NodeStat.Lstat(baseFull) is { IsDirectory: true })
                    {
                        Match(RootPath.Relative(Root, baseFull), parts, firstMeta, matches);
                    }
                }
                if (matches.Count == 0)
                {
                    throw NotFound(clean.Length == 0 ? "/" : clean);
                }
                matches.Sort(StringComparer.Ordinal);
                result.AddRange(matches.Where(seen.Add));
            }
            return result;
        }

        private void Match(string dir, string[] parts, int index, List<string> matches)
        {
            var part = parts[index];
            var last = index == parts.Length - 1;
            IEnumerable<string> names = GoGlob.HasMeta(part) ? ListNames(FullPath(dir)).Where(n => GoGlob.Match(part, n)) : [part];
            foreach (var name in names)
            {
                var rel = dir == "." ? name : dir + "/" + name;
                if (NodeStat.Lstat(FullPath(rel)) is not { } stat)
                {
                    continue;
                }
                if (last)
                {
                    matches.Add(rel);
                }
                else if (stat.IsDirectory)
                {
                    Match(rel, parts, index + 1, matches);
                }
            }
        }

        public override IEnumerable<string> EnumerateBelow(string relativeDir)
        {
            foreach (var name in ListNames(FullPath(relativeDir)))
            {
                var rel = relativeDir == "." ? name : relativeDir + "/" + name;
                yield return rel;
                if (NodeStat.Lstat(FullPath(rel)) is { IsDirectory: true })
                {
                    foreach (var child in EnumerateBelow(rel))
                    {
                        yield return child;
                    }
                }
            }
        }

        private static string[] ListNames(string dir)
        {
            string[] names;
            try
            {
                names = [.. Directory.EnumerateFileSystemEntries(dir).Select(Path.GetFileName).OfType<string>()];
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw BerthException.Wrap(e, $"read directory `{dir}`");
            }
            Array.Sort(names, StringComparer.Ordinal);
            return names;
        }
    }
}
