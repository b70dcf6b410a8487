using Berth.Oci;
using Berth.Registry.Gc;
using Berth.Registry.Storage;

namespace Berth.Registry.Tests;

public sealed class GcTests
{
    private static void Age(TempRoot root, Digest digest) =>
        File.SetLastWriteTimeUtc(root.Full(RegistryLayout.Blob(digest)), DateTime.UtcNow.AddHours(-3));

    [Fact]
    public async Task SweepsOnlyUnreferencedBlobsOlderThanTheGracePeriod()
    {
        using var root = new TempRoot();
        var store = root.Store;
        var config = await ManifestStoreTests.BlobAsync(store, "r", "config");
        var layer = await ManifestStoreTests.BlobAsync(store, "r", "layer");
        var orphanOld = await ManifestStoreTests.BlobAsync(store, "r", "orphan old");
        var orphanNew = await ManifestStoreTests.BlobAsync(store, "r", "orphan new");
        var bytes = ManifestStoreTests.ManifestJson(config, layer);
        var manifest = Digest.Of(bytes);
        await store.PutManifestAsync("r", null, manifest, "application/vnd.oci.image.manifest.v1+json", bytes, [config, layer], [], null, CancellationToken.None);
        foreach (var d in new[] { config, layer, orphanOld, manifest })
            Age(root, d);

        var result = await new GarbageCollector(store, TimeSpan.FromHours(1)).CollectAsync(CancellationToken.None);

        Assert.Equal(1, result.Deleted);
        Assert.False(store.HasContent(orphanOld));
        Assert.Null(store.StatBlob("r", orphanOld));
        Assert.False(File.Exists(root.Full(RegistryLayout.Layer("r", orphanOld))));
        foreach (var kept in new[] { config, layer, manifest, orphanNew })
            Assert.True(store.HasContent(kept), $"{kept} was swept");
    }

    [Fact]
    public async Task DeletedManifestAndItsBlobsGoButSharedBlobsStay()
    {
        using var root = new TempRoot();
        var store = root.Store;
        var config = await ManifestStoreTests.BlobAsync(store, "a", "config");
        var layer = await ManifestStoreTests.BlobAsync(store, "a", "layer");
        await store.MountAsync("b", "a", config, CancellationToken.None);
        var onlyA = await ManifestStoreTests.BlobAsync(store, "a", "only a");
        var bytesA = ManifestStoreTests.ManifestJson(config, onlyA);
        var bytesB = ManifestStoreTests.ManifestJson(config, layer);
        await store.MountAsync("b", "a", layer, CancellationToken.None);
        await store.PutManifestAsync("a", "x", Digest.Of(bytesA), "application/vnd.oci.image.manifest.v1+json", bytesA, [config, onlyA], [], null, CancellationToken.None);
        await store.PutManifestAsync("b", "y", Digest.Of(bytesB), "application/vnd.oci.image.manifest.v1+json", bytesB, [config, layer], [], null, CancellationToken.None);
        store.DeleteManifest("a", Digest.Of(bytesA));
        foreach (var d in new[] { config, layer, onlyA, Digest.Of(bytesA), Digest.Of(bytesB) })
            Age(root, d);

        var result = await new GarbageCollector(store, TimeSpan.Zero).CollectAsync(CancellationToken.None);

        Assert.Equal(2, result.Deleted);
        Assert.False(store.HasContent(onlyA));
        Assert.False(store.HasContent(Digest.Of(bytesA)));
        Assert.True(store.HasContent(config));
        Assert.NotNull(store.StatBlob("b", layer));
    }

    [Fact]
    public async Task PushThatTouchesABlobAfterTheMarkBeganKeepsIt()
    {
        using var root = new TempRoot();
        var store = root.Store;
        var blob = await ManifestStoreTests.BlobAsync(store, "r", "late");
        Age(root, blob);
        // A mount (a push making the blob reachable again) touches it under the push lock.
        await store.MountAsync("s", "r", blob, CancellationToken.None);
        var result = await new GarbageCollector(store, TimeSpan.Zero).CollectAsync(CancellationToken.None);
        Assert.Equal(0, result.Deleted);
        Assert.True(store.HasContent(blob));
    }
}
