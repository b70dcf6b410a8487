using System.Runtime.InteropServices;
using System.Text;
using Berth.Linux;
using Berth.Linux.Interop;

namespace Berth.Build.Copy;

/// <summary>
/// Extended attributes of copied nodes (security.capability above all, which binaries copied
/// from a stage need). Like BuildKit, copying them is best effort: a target file system that
/// does not take an attribute (ENOTSUP, EPERM) does not fail the copy. Symlinks are skipped.
/// </summary>
internal static class Xattrs
{
    private const int MaxSize = 64 << 10;

    /// <summary>The attributes of <paramref name="path"/>, by name in ordinal order; empty where there are none or the file system has none.</summary>
    public static unsafe IReadOnlyList<(string Name, byte[] Value)> List(string path)
    {
        var size = Libc.llistxattr(path, null, 0);
        if (size <= 0)
        {
            return size == 0 || Marshal.GetLastPInvokeError() is Errno.ENOTSUP ? [] : throw Errno.Last($"list xattrs of `{path}`");
        }
        var names = new byte[size];
        fixed (byte* p = names)
        {
            size = Libc.llistxattr(path, p, (nuint)names.Length);
        }
        if (size < 0)
        {
            throw Errno.Last($"list xattrs of `{path}`");
        }
        var result = new List<(string, byte[])>();
        foreach (var name in Encoding.UTF8.GetString(names, 0, (int)size).Split('\0', StringSplitOptions.RemoveEmptyEntries))
        {
            if (name.StartsWith("trusted.overlay.", StringComparison.Ordinal))
            {
                continue; // overlayfs's own bookkeeping, never content
            }
            var value = new byte[MaxSize];
            nint n;
            fixed (byte* v = value)
            {
                n = Libc.lgetxattr(path, name, v, (nuint)value.Length);
            }
            if (n < 0)
            {
                throw Errno.Last($"read xattr `{name}` of `{path}`");
            }
            result.Add((name, value[..(int)n]));
        }
        result.Sort((a, b) => string.CompareOrdinal(a.Item1, b.Item1));
        return result;
    }

    public static unsafe void Set(string path, IReadOnlyList<(string Name, byte[] Value)> attributes, string shown)
    {
        foreach (var (name, value) in attributes)
        {
            int rc;
            fixed (byte* v = value)
            {
                rc = Libc.lsetxattr(path, name, v, (nuint)value.Length, 0);
            }
            if (rc != 0 && Marshal.GetLastPInvokeError() is not (Errno.ENOTSUP or Errno.EPERM))
            {
                throw Errno.Last($"set xattr `{name}` on `{shown}`");
            }
        }
    }
}
