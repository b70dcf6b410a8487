using Berth.Errdefs;

namespace Berth.Images.Archive;

/// <summary>
/// Names inside an untrusted archive, cleaned to one spelling (<c>./a//b/</c> is <c>a/b</c>) and
/// refused when they could mean a place outside it: absolute, or with a <c>..</c> component.
/// </summary>
internal static class ArchiveEntryName
{
    public static string Clean(string name, int maxLength)
    {
        if (name.Length == 0)
            throw BerthException.InvalidArgument("entry with an empty name");
        if (name.Length > maxLength)
            throw BerthException.InvalidArgument($"entry name of {name.Length} characters is longer than the limit of {maxLength}");
        if (name.Any(char.IsControl))
            throw BerthException.InvalidArgument($"entry name `{Shown(name)}` has control characters");
        if (name.StartsWith('/'))
            throw BerthException.InvalidArgument($"entry `{Shown(name)}`: absolute names are not allowed in an image archive");
        var parts = name.Split('/', StringSplitOptions.RemoveEmptyEntries).Where(p => p != ".").ToList();
        if (parts.Contains(".."))
            throw BerthException.InvalidArgument($"entry `{Shown(name)}`: names with `..` are not allowed in an image archive");
        return string.Join('/', parts);
    }

    /// <summary>The archive path a link points at; its target is taken relative to the link's directory (symlink) or the root (hard link).</summary>
    public static string ResolveLink(string entry, string target, bool symbolic)
    {
        if (target.StartsWith('/'))
            throw BerthException.InvalidArgument($"entry `{entry}`: link to the absolute path `{Shown(target)}`");
        var slash = entry.LastIndexOf('/');
        var combined = symbolic && slash >= 0 ? entry[..slash] + "/" + target : target;
        var parts = new List<string>();
        foreach (var part in combined.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            if (part == ".")
                continue;
            if (part == "..")
            {
                if (parts.Count == 0)
                    throw BerthException.InvalidArgument($"entry `{entry}`: link `{Shown(target)}` points outside the archive");
                parts.RemoveAt(parts.Count - 1);
                continue;
            }
            parts.Add(part);
        }
        return string.Join('/', parts);
    }

    private static string Shown(string name) => new(name.Take(300).Select(c => char.IsControl(c) ? '?' : c).ToArray());
}
