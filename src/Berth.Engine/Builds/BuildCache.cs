using System.Text.Json;
using Berth.Build.Cache;
using Berth.Images.Content;
using Berth.Oci;

namespace Berth.Engine.Builds;

/// <summary>
/// The build cache: a step's cache key (<see cref="CacheKey"/>: the state before it, the
/// instruction after expansion, the digests of its inputs) → what it produced, in a
/// <see cref="FileCacheIndex"/> under <c>ROOT/builds/cache</c>. An entry whose layer blob is gone
/// (collected by a prune) is a miss, never an error. The cache's layers are roots for garbage
/// collection (<see cref="ReferencedBlobs"/>), as docker keeps its build cache until
/// <c>builder prune</c>.
/// </summary>
public sealed class BuildCache
{
    private readonly FileCacheIndex _index;
    private readonly IBlobReader _blobs;

    public BuildCache(string root, IBlobReader blobs)
    {
        _index = new FileCacheIndex(root);
        _blobs = blobs;
    }

    public string Root => _index.Root;

    public async Task<BuildCacheEntry?> GetAsync(Digest key, CancellationToken ct)
    {
        var text = _index.Get(key);
        if (text is null)
            return null;
        BuildCacheEntry? entry;
        try
        {
            entry = JsonSerializer.Deserialize(text, BuildJsonContext.Default.BuildCacheEntry);
        }
        catch (JsonException)
        {
            return null; // a torn or foreign file is a miss; the next Put replaces it
        }
        if (entry?.Layer is { } layer)
        {
            try
            {
                var info = await _blobs.InfoAsync(Digest.Parse(layer.Digest), ct).ConfigureAwait(false);
                if (info.Size != layer.Size)
                    return null;
            }
            catch (Errdefs.BerthException e) when (e.Kind == Errdefs.ErrorKind.NotFound)
            {
                return null;
            }
        }
        return entry;
    }

    public void Put(Digest key, BuildCacheEntry entry) =>
        _index.Put(key, JsonSerializer.Serialize(entry, BuildJsonContext.Default.BuildCacheEntry));

    /// <summary>The layer blobs the cache refers to.</summary>
    public IEnumerable<string> ReferencedBlobs()
    {
        if (!Directory.Exists(Root))
            yield break;
        foreach (var file in Directory.EnumerateFiles(Root, "*", SearchOption.AllDirectories))
        {
            if (Path.GetFileName(file).StartsWith(".tmp-", StringComparison.Ordinal))
                continue;
            BuildCacheEntry? entry = null;
            try
            {
                entry = JsonSerializer.Deserialize(File.ReadAllText(file), BuildJsonContext.Default.BuildCacheEntry);
            }
            catch (Exception e) when (e is JsonException or IOException)
            {
            }
            if (entry?.Layer is { } layer)
                yield return layer.Digest;
        }
    }

    /// <summary>Removes every entry (<c>builder prune -a</c>); returns how many there were.</summary>
    public int Clear()
    {
        if (!Directory.Exists(Root))
            return 0;
        var count = Directory.EnumerateFiles(Root, "*", SearchOption.AllDirectories).Count();
        var doomed = Root + ".rm-" + Guid.NewGuid().ToString("N");
        Directory.Move(Root, doomed);
        Directory.Delete(doomed, recursive: true);
        return count;
    }
}
