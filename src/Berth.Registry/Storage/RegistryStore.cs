using Berth.Linux.Files;
using Berth.Oci;

namespace Berth.Registry.Storage;

/// <summary>
/// The registry's content above the storage seam: blobs shared across repositories and linked into
/// each one that may serve them, uploads that become blobs only once verified, manifests, tags and
/// referrers. Every write that makes content reachable (a blob committed or mounted, a manifest
/// stored) runs under the shared side of <c>gc.lock</c> and touches the blobs it relies on; a GC
/// sweep runs under the exclusive side and spares anything touched since its mark began, so pushes
/// and GC can run at the same time without GC deleting what a push just made reachable.
/// </summary>
public sealed partial class RegistryStore
{
    private readonly IStorageDriver _driver;
    private readonly string _lockPath;

    public RegistryStore(IStorageDriver driver)
    {
        _driver = driver;
        _lockPath = driver.LocalPath(RegistryLayout.GcLock) ?? throw new ArgumentException("the registry's storage driver needs a local path for gc.lock", nameof(driver));
        Directory.CreateDirectory(Path.GetDirectoryName(_lockPath)!);
    }

    public IStorageDriver Driver => _driver;

    /// <summary>The shared side of gc.lock: held while a write makes content reachable.</summary>
    public Task<ReadWriteFileLock> PushLockAsync(CancellationToken cancellationToken) =>
        ReadWriteFileLock.AcquireAsync(_lockPath, exclusive: false, cancellationToken);

    /// <summary>The exclusive side of gc.lock: no push is between checking and linking while it is held.</summary>
    public Task<ReadWriteFileLock> SweepLockAsync(CancellationToken cancellationToken) =>
        ReadWriteFileLock.AcquireAsync(_lockPath, exclusive: true, cancellationToken);

    /// <summary>The size of a blob the repository may serve, and its file when local; null when it may not.</summary>
    public BlobInfo? StatBlob(string repository, Digest digest)
    {
        if (_driver.Stat(RegistryLayout.Layer(repository, digest)) is null)
            return null;
        var path = RegistryLayout.Blob(digest);
        return _driver.Stat(path) is { IsDirectory: false } stat ? new BlobInfo(digest, stat.Size, path) : null;
    }

    /// <summary>True when the blob's content is stored at all, in whichever repository.</summary>
    public bool HasContent(Digest digest) => _driver.Stat(RegistryLayout.Blob(digest)) is { IsDirectory: false };

    /// <summary>
    /// Links a stored blob into a repository (a cross-repository mount, or the end of an upload of
    /// content already present). False when the content is not stored. The caller holds the push lock.
    /// </summary>
    public bool Link(string repository, Digest digest)
    {
        var blob = RegistryLayout.Blob(digest);
        if (_driver.Stat(blob) is not { IsDirectory: false })
            return false;
        _driver.Touch(blob);
        var link = RegistryLayout.Layer(repository, digest);
        if (_driver.Stat(link) is null)
            _driver.PutContent(link, System.Text.Encoding.ASCII.GetBytes(digest.ToString()));
        return true;
    }

    /// <summary>Mounts a blob from one repository into another; false when <paramref name="from"/> may not serve it.</summary>
    public async Task<bool> MountAsync(string repository, string from, Digest digest, CancellationToken cancellationToken)
    {
        if (StatBlob(from, digest) is null)
            return false;
        using var held = await PushLockAsync(cancellationToken).ConfigureAwait(false);
        return Link(repository, digest);
    }

    /// <summary>Unlinks a blob from a repository (its content stays for others until GC); false when it was not linked.</summary>
    public bool DeleteBlob(string repository, Digest digest)
    {
        var link = RegistryLayout.Layer(repository, digest);
        if (_driver.Stat(link) is null)
            return false;
        _driver.Delete(link);
        return true;
    }

    /// <summary>True when the repository has anything in it: a blob or a manifest.</summary>
    public bool RepositoryExists(string repository) =>
        _driver.Stat(RegistryLayout.Layers(repository)) is not null || _driver.Stat(RegistryLayout.Revisions(repository)) is not null;

    /// <summary>
    /// Every repository name, sorted ordinally: each directory under <c>repositories/</c> that holds a
    /// <c>_layers</c> or <c>_manifests</c> entry (components never start with <c>_</c>, so these cannot clash).
    /// </summary>
    public List<string> Repositories()
    {
        var names = new List<string>();
        Walk(RegistryLayout.Repositories, "", names);
        names.Sort(StringComparer.Ordinal);
        return names;
    }

    private void Walk(string path, string name, List<string> names)
    {
        var entries = _driver.List(path);
        if (name.Length > 0 && (entries.Contains("_layers") || entries.Contains("_manifests")))
            names.Add(name);
        foreach (var entry in entries)
        {
            if (entry.StartsWith('_'))
                continue;
            var child = path + "/" + entry;
            if (_driver.Stat(child) is { IsDirectory: true })
                Walk(child, name.Length == 0 ? entry : name + "/" + entry, names);
        }
    }
}

/// <summary>A blob a repository may serve: its size, and its path for the storage driver.</summary>
public sealed record BlobInfo(Digest Digest, long Size, string Path);
