using Berth.Engine.Spec;

namespace Berth.Engine.Containers;

/// <summary>
/// Reads /etc/passwd and /etc/group inside a container's rootfs, resolving every symlink on
/// the way relative to the rootfs so an image cannot point the engine at a host file.
/// </summary>
public sealed class RootfsUsers(string rootfs) : IRootfsUsers
{
    public string? ReadPasswd() => Read("/etc/passwd");

    public string? ReadGroup() => Read("/etc/group");

    private string? Read(string path)
    {
        var resolved = Resolve(rootfs, path);
        try
        {
            return resolved is not null && File.Exists(resolved) ? File.ReadAllText(resolved) : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>The host path of <paramref name="path"/> inside <paramref name="root"/>, symlinks followed within root; null when it loops.</summary>
    public static string? Resolve(string root, string path)
    {
        var parts = new Stack<string>(path.Split('/', StringSplitOptions.RemoveEmptyEntries).Reverse());
        var current = new List<string>();
        for (var hops = 0; parts.Count > 0;)
        {
            var part = parts.Pop();
            if (part == ".")
                continue;
            if (part == "..")
            {
                if (current.Count > 0)
                    current.RemoveAt(current.Count - 1);
                continue;
            }
            var host = Path.Combine(root, string.Join('/', current.Append(part)));
            var info = new FileInfo(host);
            if (info.Exists || Directory.Exists(host))
            {
                if (info.LinkTarget is { } target)
                {
                    if (++hops > 40)
                        return null;
                    if (target.StartsWith('/'))
                        current.Clear();
                    foreach (var t in target.Split('/', StringSplitOptions.RemoveEmptyEntries).Reverse())
                        parts.Push(t);
                    continue;
                }
            }
            current.Add(part);
        }
        return Path.Combine(root, string.Join('/', current));
    }
}
