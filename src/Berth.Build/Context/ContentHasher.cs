using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Berth.Errdefs;
using Berth.Oci;

namespace Berth.Build.Context;

/// <summary>
/// Digests of build-context content for cache keys. Each path contributes one record:
/// <code>
///   u64 len + UTF-8 context-relative path
///   u8  type ('f' file, 'd' directory, 'l' symlink, 'o' other)
///   u32 permission bits (mode &amp; 07777), u32 uid, u32 gid   (big-endian)
///   file:    32-byte sha256 of the content (streamed)
///   symlink: u64 len + UTF-8 link target
/// </code>
/// A directory's digest covers its own record and the records of everything below it that the
/// <c>.dockerignore</c> does not exclude, in walk order (ordinal per directory). Times (mtime,
/// atime, ctime), inode numbers and link counts are left out, so touching a file changes nothing.
/// </summary>
public static class ContentHasher
{
    /// <summary>The digest of one source (a file, a symlink, or a directory and all below it).</summary>
    public static Digest Hash(BuildContext context, string relativePath)
    {
        ArgumentNullException.ThrowIfNull(context);
        var entry = context.Lookup(relativePath)
            ?? throw BerthException.NotFound(
                $"file not found in build context or excluded by .dockerignore: stat {relativePath}: file does not exist");
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        Append(hash, entry);
        if (entry.Stat.IsDirectory)
        {
            foreach (var child in context.EnumerateBelow(entry.RelativePath))
            {
                Append(hash, child);
            }
        }
        return Digest.FromHash("sha256", hash.GetHashAndReset());
    }

    /// <summary>
    /// The digest of a set of sources: the sources sorted ordinally without repeats, each
    /// contributing its path and its <see cref="Hash(BuildContext, string)"/>.
    /// </summary>
    public static Digest Hash(BuildContext context, IEnumerable<string> relativePaths)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(relativePaths);
        var paths = relativePaths.Select(p => BuildContext.CleanRelative(p, p)).Distinct(StringComparer.Ordinal).ToList();
        paths.Sort(StringComparer.Ordinal);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        AppendU64(hash, (ulong)paths.Count);
        foreach (var path in paths)
        {
            AppendString(hash, path);
            AppendString(hash, Hash(context, path).ToString());
        }
        return Digest.FromHash("sha256", hash.GetHashAndReset());
    }

    private static void Append(IncrementalHash hash, ContextEntry entry)
    {
        AppendString(hash, entry.RelativePath);
        var stat = entry.Stat;
        byte type = stat.IsRegular ? (byte)'f' : stat.IsDirectory ? (byte)'d' : stat.IsSymlink ? (byte)'l' : (byte)'o';
        hash.AppendData([type]);
        Span<byte> buf = stackalloc byte[12];
        BinaryPrimitives.WriteUInt32BigEndian(buf, stat.Permissions);
        BinaryPrimitives.WriteUInt32BigEndian(buf[4..], stat.Uid);
        BinaryPrimitives.WriteUInt32BigEndian(buf[8..], stat.Gid);
        hash.AppendData(buf);
        if (stat.IsRegular)
        {
            hash.AppendData(HashFile(entry));
        }
        else if (stat.IsSymlink)
        {
            string target;
            try
            {
                target = new FileInfo(entry.FullPath).LinkTarget ?? "";
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw BerthException.Wrap(e, $"read link `{entry.RelativePath}`");
            }
            AppendString(hash, target);
        }
    }

    private static byte[] HashFile(ContextEntry entry)
    {
        try
        {
            using var stream = new FileStream(entry.FullPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1 << 16);
            return SHA256.HashData(stream);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw BerthException.Wrap(e, $"read `{entry.RelativePath}` from the build context");
        }
    }

    private static void AppendString(IncrementalHash hash, string value)
    {
        var bytes = Encoding.UTF8.GetBytes(value);
        AppendU64(hash, (ulong)bytes.Length);
        hash.AppendData(bytes);
    }

    private static void AppendU64(IncrementalHash hash, ulong value)
    {
        Span<byte> buf = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64BigEndian(buf, value);
        hash.AppendData(buf);
    }
}
