using System.Text;
using Berth.Errdefs;
using Berth.Oci;

namespace Berth.Build.Cache;

/// <summary>
/// An <see cref="ICacheIndex"/> on disk: one file per key at <c>root/&lt;alg&gt;/&lt;hex&gt;</c>
/// holding the descriptor as UTF-8. A write goes to a uniquely named temporary file in the same
/// directory and is renamed over the key's file, so readers see the old or the new descriptor,
/// never a torn one, and concurrent writers of one key leave one whole descriptor (the last rename wins).
/// </summary>
public sealed class FileCacheIndex : ICacheIndex
{
    public FileCacheIndex(string root)
    {
        ArgumentNullException.ThrowIfNull(root);
        Root = Path.GetFullPath(root);
    }

    public string Root { get; }

    public string? Get(Digest cacheKey)
    {
        var path = PathOf(cacheKey);
        try
        {
            return File.ReadAllText(path, Encoding.UTF8);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw BerthException.Wrap(e, $"read build cache entry `{cacheKey}`");
        }
    }

    public void Put(Digest cacheKey, string resultDescriptor)
    {
        ArgumentNullException.ThrowIfNull(resultDescriptor);
        var path = PathOf(cacheKey);
        var dir = Path.GetDirectoryName(path)!;
        var temp = Path.Combine(dir, $".tmp-{cacheKey.Encoded}-{Guid.NewGuid():N}");
        try
        {
            Directory.CreateDirectory(dir);
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                stream.Write(Encoding.UTF8.GetBytes(resultDescriptor));
                stream.Flush(flushToDisk: true);
            }
            File.Move(temp, path, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            TryDelete(temp);
            throw BerthException.Wrap(e, $"write build cache entry `{cacheKey}`");
        }
    }

    private string PathOf(Digest cacheKey)
    {
        if (cacheKey.Algorithm is null)
        {
            throw BerthException.InvalidArgument("empty cache key");
        }
        return Path.Combine(Root, cacheKey.Algorithm, cacheKey.Encoded);
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // best effort
        }
    }
}
