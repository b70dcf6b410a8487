using Berth.Oci;

namespace Berth.Build.Cache;

/// <summary>Maps a step's cache key to the descriptor of the result it produced.</summary>
public interface ICacheIndex
{
    /// <summary>The result descriptor recorded for <paramref name="cacheKey"/>, or null.</summary>
    string? Get(Digest cacheKey);

    /// <summary>Records (or replaces) the result descriptor for <paramref name="cacheKey"/>.</summary>
    void Put(Digest cacheKey, string resultDescriptor);
}
