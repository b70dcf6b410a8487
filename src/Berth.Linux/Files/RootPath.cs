using Berth.Linux.Interop;

namespace Berth.Linux.Files;

/// <summary>
/// Resolves a path inside a root directory as a process chrooted there would see it. Every symlink
/// met on the way (the last component too) is read and followed inside the root, an absolute
/// target starts again at the root, and <c>..</c> stops at it. The result always lies under the
/// root, so whatever the links in a hostile image say, a mount or a copy cannot land outside it
/// (filepath-securejoin, containerd's fs.RootPath). The runtime's mounts and the build's COPY
/// both resolve through here.
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
                continue;
            if (part == "..")
            {
                if (resolved.Count > 0)
                    resolved.RemoveAt(resolved.Count - 1);
                continue;
            }
            resolved.Add(part);
            var target = TryReadLink(Combine(root, resolved));
            if (target is null)
                continue;
            if (++links > MaxLinks)
                throw Errno.Exception($"resolve `{path}` in `{root}`", Errno.ELOOP);
            resolved.RemoveAt(resolved.Count - 1);
            if (target.StartsWith('/'))
                resolved.Clear();
            Push(remaining, target);
        }
        return Combine(root, resolved);
    }

    /// <summary>As <see cref="Join"/>, but the last component is not followed (its parent is).</summary>
    public static string JoinParent(string root, string path)
    {
        var clean = Clean(path);
        if (clean == "/")
            return root;
        var slash = clean.LastIndexOf('/');
        var parent = Join(root, clean[..Math.Max(slash, 1)]);
        return parent.TrimEnd('/') + "/" + clean[(slash + 1)..];
    }

    /// <summary>
    /// A slash path made absolute and clean, by text alone (Go's <c>filepath.Clean</c> of "/" + path):
    /// empty and <c>.</c> parts dropped, <c>..</c> resolved, never above <c>/</c>.
    /// </summary>
    public static string Clean(string path)
    {
        var parts = new List<string>();
        foreach (var part in path.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            if (part == ".")
                continue;
            if (part == "..")
            {
                if (parts.Count > 0)
                    parts.RemoveAt(parts.Count - 1);
                continue;
            }
            parts.Add(part);
        }
        return "/" + string.Join('/', parts);
    }

    /// <summary>The path of <paramref name="full"/> relative to <paramref name="root"/> ("." for the root itself).</summary>
    public static string Relative(string root, string full)
    {
        if (full == root)
            return ".";
        var prefix = root.EndsWith('/') ? root : root + "/";
        return full.StartsWith(prefix, StringComparison.Ordinal) ? full[prefix.Length..] : throw new InvalidOperationException($"`{full}` is not under `{root}`");
    }

    /// <summary>Throws InvalidArgument when <paramref name="path"/> is not absolute: "WHAT `path` is not an absolute path".</summary>
    public static void RequireAbsolute(string path, string what)
    {
        if (!path.StartsWith('/'))
            throw Berth.Errdefs.BerthException.InvalidArgument($"{what} `{path}` is not an absolute path");
    }

    /// <summary>The target of the symlink at <paramref name="path"/>; an error naming it when it is not one or cannot be read.</summary>
    public static string ReadLink(string path) =>
        TryReadLink(path) ?? throw Errno.Last($"read link `{path}`");

    /// <summary>The symlink's target, or null when <paramref name="path"/> is not a symlink (or does not exist).</summary>
    private static unsafe string? TryReadLink(string path)
    {
        const int size = 4096;
        var buffer = stackalloc byte[size];
        var n = Libc.readlink(path, buffer, size);
        return n < 0 ? null : System.Text.Encoding.UTF8.GetString(buffer, (int)n);
    }

    private static void Push(Stack<string> stack, string path)
    {
        var parts = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        for (var i = parts.Length - 1; i >= 0; i--)
            stack.Push(parts[i]);
    }

    private static string Combine(string root, List<string> parts) =>
        parts.Count == 0 ? root : root.TrimEnd('/') + "/" + string.Join('/', parts);
}
