using Berth.Errdefs;
using Berth.Oci;
using Berth.Oci.Image;
using Berth.Registry.Storage;

namespace Berth.Registry.Gc;

/// <summary>
/// Online mark and sweep over a <see cref="RegistryStore"/>, safe while the registry serves and while
/// pushes are in flight: distribution's <c>garbage-collect</c> needs the registry read-only; this does not.
/// <para>
/// 1. Barrier: take <c>gc.lock</c> exclusively for an instant and note the time T. Every push that
///    makes content reachable holds the lock shared and touches what it relies on, so any push not
///    seen by the mark below touches its blobs after T.
/// 2. Mark, without the lock: every manifest of every repository (tagged or not), and for each its
///    config and layers, or for an index its child manifests.
/// 3. Sweep, holding the lock exclusively: delete a blob only if it is unmarked, last touched before
///    T − 1 s (file times are coarser than the clock) and before now − grace (a blob uploaded but
///    not yet referenced by its manifest is given the grace period to become so); then unlink
///    deleted blobs from the repositories.
/// </para>
/// Uploads in progress live outside <c>blobs/</c> and are never swept; they expire on their own.
/// </summary>
public sealed class GarbageCollector
{
    private readonly RegistryStore _store;
    private readonly TimeSpan _grace;

    public GarbageCollector(RegistryStore store, TimeSpan grace)
    {
        _store = store;
        _grace = grace;
    }

    public async Task<GcResult> CollectAsync(CancellationToken cancellationToken)
    {
        DateTime markStart;
        using (await _store.SweepLockAsync(cancellationToken).ConfigureAwait(false))
            markStart = DateTime.UtcNow;
        var marked = Mark();
        var cutoff = Min(markStart - TimeSpan.FromSeconds(1), DateTime.UtcNow - _grace);
        var deleted = new HashSet<Digest>();
        long freed = 0;
        var driver = _store.Driver;
        using (await _store.SweepLockAsync(cancellationToken).ConfigureAwait(false))
        {
            foreach (var algorithm in driver.List(RegistryLayout.Blobs))
            {
                foreach (var prefix in driver.List(RegistryLayout.Blobs + "/" + algorithm))
                {
                    foreach (var encoded in driver.List($"{RegistryLayout.Blobs}/{algorithm}/{prefix}"))
                    {
                        if (!Digest.TryParse(algorithm + ":" + encoded, out var digest) || marked.Contains(digest))
                            continue;
                        var path = RegistryLayout.Blob(digest);
                        if (driver.Stat(path) is not { IsDirectory: false } stat || stat.ModifiedUtc >= cutoff)
                            continue;
                        driver.Delete(path);
                        deleted.Add(digest);
                        freed += stat.Size;
                    }
                }
            }
            if (deleted.Count > 0)
                Unlink(deleted);
        }
        return new GcResult(marked.Count, deleted.Count, freed);
    }

    private HashSet<Digest> Mark()
    {
        var marked = new HashSet<Digest>();
        foreach (var repository in _store.Repositories())
        {
            foreach (var digest in _store.Revisions(repository))
            {
                marked.Add(digest);
                if (_store.StatManifest(repository, digest) is not { } manifest || _store.ReadManifest(manifest) is not { } bytes)
                    continue;
                foreach (var reference in References(manifest.MediaType, bytes))
                    marked.Add(reference);
            }
        }
        return marked;
    }

    /// <summary>What a stored manifest keeps alive: config and layers, or an index's children.</summary>
    public static IEnumerable<Digest> References(string mediaType, byte[] bytes)
    {
        var found = new List<Digest>();
        try
        {
            if (MediaTypes.IsIndex(mediaType))
            {
                foreach (var child in ImageJson.ParseIndex(bytes).Manifests)
                    Add(child.Digest);
            }
            else if (MediaTypes.IsManifest(mediaType))
            {
                var manifest = ImageJson.ParseManifest(bytes);
                Add(manifest.Config.Digest);
                foreach (var layer in manifest.Layers)
                    Add(layer.Digest);
            }
        }
        catch (BerthException)
        {
            // Stored manifests were parsed at push; one that no longer parses keeps only itself.
        }
        return found;

        void Add(string text)
        {
            if (Digest.TryParse(text, out var digest))
                found.Add(digest);
        }
    }

    private void Unlink(HashSet<Digest> deleted)
    {
        var driver = _store.Driver;
        foreach (var repository in _store.Repositories())
        {
            foreach (var digest in deleted)
            {
                var link = RegistryLayout.Layer(repository, digest);
                if (driver.Stat(link) is not null)
                    driver.Delete(link);
            }
        }
    }

    private static DateTime Min(DateTime a, DateTime b) => a < b ? a : b;
}

/// <summary>What one collection did: blobs marked reachable, blobs deleted and the bytes they held.</summary>
public sealed record GcResult(int Marked, int Deleted, long BytesFreed);
