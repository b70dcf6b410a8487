using Berth.Errdefs;
using Berth.Linux;
using Berth.Linux.Interop;

namespace Berth.Images.Layers;

/// <summary>
/// Turns tar entry names into paths inside the target root that cannot leave it.
/// Names are cleaned lexically (a leading '/' is dropped, as docker does; a <c>..</c> that
/// climbs above the root is rejected). Parent directories are then resolved one component
/// at a time with lstat: a symlink met on the way is followed only inside the root (an
/// absolute target starts again at the root, <c>..</c> stops at the root), the way
/// containerd's <c>fs.RootPath</c> scopes them, so no write ever goes through a link out.
/// </summary>
internal sealed class LayerPath
{
    private const int MaxSymlinkHops = 40;
    private const int NameMax = 255; // NAME_MAX: the kernel's limit on one path component
    private readonly string _root;

    public LayerPath(string root)
    {
        _root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(root));
    }

    public string Root => _root;

    /// <summary>The cleaned components of an entry name; empty for the root itself.</summary>
    public static List<string> Clean(string name)
    {
        var parts = new List<string>();
        foreach (var c in name.Split('/'))
        {
            if (c.Length == 0 || c == ".")
            {
                continue;
            }

            if (c == "..")
            {
                if (parts.Count == 0)
                {
                    throw BerthException.InvalidArgument("path escapes the layer root");
                }

                parts.RemoveAt(parts.Count - 1);
                continue;
            }

            if (System.Text.Encoding.UTF8.GetByteCount(c) > NameMax)
            {
                throw BerthException.InvalidArgument($"component longer than {NameMax} bytes");
            }

            parts.Add(c);
        }

        return parts;
    }

    /// <summary>The absolute host path of a root-relative path that holds no symlinks.</summary>
    public string Full(string relative) => relative.Length == 0 ? _root : _root + "/" + relative;

    /// <summary>
    /// Resolves <paramref name="components"/> as a directory inside the root and returns its
    /// root-relative real path (no symlinks in it). Missing directories are created 0755 when
    /// <paramref name="create"/>, else the result is null.
    /// </summary>
    public string? ResolveDirectory(IReadOnlyList<string> components, bool create)
    {
        var real = new List<string>();
        var pending = new Stack<string>();
        for (var i = components.Count - 1; i >= 0; i--)
        {
            pending.Push(components[i]);
        }

        var hops = 0;
        while (pending.Count > 0)
        {
            var c = pending.Pop();
            if (c.Length == 0 || c == ".")
            {
                continue;
            }

            if (c == "..")
            {
                if (real.Count > 0)
                {
                    real.RemoveAt(real.Count - 1);
                }

                continue;
            }

            var path = Full(string.Join('/', real.Append(c)));
            switch (Lstat(path))
            {
                case NodeKind.Missing:
                    if (!create)
                    {
                        return null;
                    }

                    if (Libc.mkdir(path, 0x1ed /* 0755 */) < 0)
                    {
                        throw Errno.Last($"mkdir `{Relative(path)}`");
                    }

                    real.Add(c);
                    break;
                case NodeKind.Directory:
                    real.Add(c);
                    break;
                case NodeKind.Symlink:
                    if (++hops > MaxSymlinkHops)
                    {
                        throw BerthException.InvalidArgument($"resolve `{Relative(path)}`: too many levels of symbolic links");
                    }

                    var target = new FileInfo(path).LinkTarget ?? "";
                    if (target.StartsWith('/'))
                    {
                        real.Clear();
                    }

                    var parts = target.Split('/');
                    for (var i = parts.Length - 1; i >= 0; i--)
                    {
                        pending.Push(parts[i]);
                    }

                    break;
                default:
                    throw BerthException.InvalidArgument($"resolve `{Relative(path)}`: not a directory");
            }
        }

        return string.Join('/', real);
    }

    public string Relative(string full) => full.Length <= _root.Length ? "/" : full[_root.Length..];

    public static NodeKind Lstat(string path)
    {
        var info = new FileInfo(path);
        var attributes = info.Attributes;
        if ((int)attributes == -1)
        {
            return NodeKind.Missing;
        }

        if (attributes.HasFlag(FileAttributes.ReparsePoint))
        {
            return NodeKind.Symlink;
        }

        return attributes.HasFlag(FileAttributes.Directory) ? NodeKind.Directory : NodeKind.Other;
    }

    /// <summary>Removes a node without following it: a real directory with its contents, anything else unlinked.</summary>
    public void Remove(string full)
    {
        switch (Lstat(full))
        {
            case NodeKind.Missing:
                return;
            case NodeKind.Directory:
                Directory.Delete(full, recursive: true);
                return;
            default:
                if (Libc.unlink(full) < 0)
                {
                    throw Errno.Last($"unlink `{Relative(full)}`");
                }

                return;
        }
    }
}

internal enum NodeKind
{
    Missing,
    Directory,
    Symlink,
    Other,
}
