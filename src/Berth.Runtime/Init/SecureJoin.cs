using Berth.Errdefs;
using Berth.Linux;
using Berth.Linux.Interop;

namespace Berth.Runtime.Init;

/// <summary>
/// Resolves a path inside a root directory the way the container will see it: symlinks are
/// followed relative to the root and ".." never climbs above it, so a hostile image cannot make
/// a mount land outside its rootfs (the idea of filepath-securejoin).
/// </summary>
public static class SecureJoin
{
    private const int MaxLinks = 255;

    public static string Join(string root, string unsafePath)
    {
        var remaining = new Stack<string>(unsafePath.Split('/', StringSplitOptions.RemoveEmptyEntries).Reverse());
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
            var candidate = root + "/" + string.Join('/', resolved.Append(part));
            var target = ReadLink(candidate);
            if (target is null)
            {
                resolved.Add(part);
                continue;
            }
            if (++links > MaxLinks)
                throw Errno.Exception($"resolve `{unsafePath}` in `{root}`", Errno.ELOOP);
            if (target.StartsWith('/'))
                resolved.Clear();
            foreach (var p in target.Split('/', StringSplitOptions.RemoveEmptyEntries).Reverse())
                remaining.Push(p);
        }
        return resolved.Count == 0 ? root : root.TrimEnd('/') + "/" + string.Join('/', resolved);
    }

    private static unsafe string? ReadLink(string path)
    {
        var buffer = stackalloc byte[4096];
        var n = Libc.readlink(path, buffer, 4096);
        return n < 0 ? null : System.Text.Encoding.UTF8.GetString(buffer, (int)n);
    }

    /// <summary>Throws InvalidArgument when the path is not absolute.</summary>
    public static void RequireAbsolute(string path, string what)
    {
        if (!path.StartsWith('/'))
            throw BerthException.InvalidArgument($"{what} `{path}` is not an absolute path");
    }
}
