using Berth.Linux;

namespace Berth.Build.Copy;

/// <summary>
/// Resolves a path inside a root directory as a process chrooted there would: every symlink met
/// on the way (the last component too) is read and followed inside the root, an absolute target
/// starts again at the root and <c>..</c> stops at it. The result always lies under the root, so
/// whatever the links in an image say, a copy cannot land outside it (containerd's fs.RootPath).
/// </summary>
public static class RootPath
{
    private const int MaxLinks = 255;

    /// <summary>The host path for <paramref name="path"/> (slash-separated; absolute or not, it starts at the root).</summary>
    public static string Join(string root, string path)
    {
        var remaining = new Stack<string>();
        Push(remaining, path);
        var resolved = new List<string>();
        var links = 0;
        while (remaining.Count > 0)
        {
            var part = remaining.Pop();
            if (part == ".")
            {
                continue;
            }
            if (part == "..")
            {
                if (resolved.Count > 0)
                {
                    resolved.RemoveAt(resolved.Count - 1);
                }
                continue;
            }
            resolved.Add(part);
            var candidate = Combine(root, resolved);
            if (NodeStat.Lstat(candidate) is not { IsSymlink: true })
            {
                continue;
            }
            if (++links > MaxLinks)
            {
                throw Errno.Exception($"resolve `{path}` in `{root}`", Errno.ELOOP);
            }
            resolved.RemoveAt(resolved.Count - 1);
            var target = ReadLink(candidate);
            if (target.StartsWith('/'))
            {
                resolved.Clear();
            }
            Push(remaining, target);
        }
        return Combine(root, resolved);
    }

    /// <summary>As <see cref="Join"/>, but the last component is not followed (its parent is).</summary>
    public static string JoinParent(string root, string path)
    {
        var clean = Ignore.IgnoreFile.CleanPath("/" + path);
        if (clean == "/")
        {
            return root;
        }
        var slash = clean.LastIndexOf('/');
        var parent = Join(root, clean[..Math.Max(slash, 1)]);
        return parent + "/" + clean[(slash + 1)..];
    }

    /// <summary>The path of <paramref name="full"/> relative to <paramref name="root"/> ("." for the root itself).</summary>
    public static string Relative(string root, string full)
    {
        if (full == root)
        {
            return ".";
        }
        var prefix = root.EndsWith('/') ? root : root + "/";
        return full.StartsWith(prefix, StringComparison.Ordinal) ? full[prefix.Length..] : throw new InvalidOperationException($"`{full}` is not under `{root}`");
    }

    public static string ReadLink(string path)
    {
        try
        {
            return new FileInfo(path).LinkTarget ?? "";
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw Berth.Errdefs.BerthException.Wrap(e, $"read link `{path}`");
        }
    }

    private static void Push(Stack<string> stack, string path)
    {
        var parts = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        for (var i = parts.Length - 1; i >= 0; i--)
        {
            stack.Push(parts[i]);
        }
    }

    private static string Combine(string root, List<string> parts) =>
        parts.Count == 0 ? root : root.TrimEnd('/') + "/" + string.Join('/', parts);
}
