using System.Text;
using Berth.Errdefs;
using Berth.Oci;
using Berth.Registry.Storage;

namespace Berth.Registry.Tests;

public sealed class ManifestStoreTests
{
    internal static async Task<Digest> BlobAsync(RegistryStore store, string repository, string content)
    {
        var digest = Digest.Of(Encoding.UTF8.GetBytes(content));
        await store.CompleteAsync(repository, store.StartUpload(repository), digest, new MemoryStream(Encoding.UTF8.GetBytes(content)), CancellationToken.None);
        return digest;
    }

    internal static byte[] ManifestJson(Digest config, Digest layer, Digest? subject = null, string? artifactType = null) => Encoding.UTF8.GetBytes(
        "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\"" +
        (artifactType is null ? "" : $",\"artifactType\":\"{artifactType}\"") +
        $",\"config\":{{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"digest\":\"{config}\",\"size\":6}}" +
        $",\"layers\":[{{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar\",\"digest\":\"{layer}\",\"size\":5}}]" +
        (subject is null ? "" : $",\"subject\":{{\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"digest\":\"{subject}\",\"size\":1}}") +
        "}");

    [Fact]
    public async Task ManifestIsStoredByteForByteAndTagsAreIndependent()
    {
        using var root = new TempRoot();
        var store = root.Store;
        var config = await BlobAsync(store, "r", "config");
        var layer = await BlobAsync(store, "r", "layer");
        var bytes = ManifestJson(config, layer);
        var digest = Digest.Of(bytes);
        await store.PutManifestAsync("r", "one", digest, "application/vnd.oci.image.manifest.v1+json", bytes, [config, layer], [], null, CancellationToken.None);
        await store.PutManifestAsync("r", "two", digest, "application/vnd.oci.image.manifest.v1+json", bytes, [config, layer], [], null, CancellationToken.None);
        Assert.Equal(["one", "two"], store.Tags("r"));
        Assert.True(store.DeleteTag("r", "one"));
        Assert.Equal(["two"], store.Tags("r"));
        var record = store.StatManifest("r", store.ResolveTag("r", "two")!.Value)!;
        Assert.Equal(bytes, store.ReadManifest(record));
        Assert.Equal("application/vnd.oci.image.manifest.v1+json", record.MediaType);
        Assert.True(store.DeleteManifest("r", digest));
        Assert.Empty(store.Tags("r"));
        Assert.Null(store.StatManifest("r", digest));
    }

    [Fact]
    public async Task ManifestReferringToAMissingBlobStoresNothing()
    {
        using var root = new TempRoot();
        var config = await BlobAsync(root.Store, "r", "config");
        var missing = Digest.Of("never pushed"u8);
        var bytes = ManifestJson(config, missing);
        var e = await Assert.ThrowsAsync<BerthException>(() => root.Store.PutManifestAsync("r", "t", Digest.Of(bytes), "application/vnd.oci.image.manifest.v1+json", bytes, [config, missing], [], null, CancellationToken.None));
        Assert.Equal(ErrorKind.NotFound, e.Kind);
        Assert.Empty(root.Store.Tags("r"));
        Assert.False(root.Store.HasContent(Digest.Of(bytes)));
    }

    [Fact]
    public async Task ReferrersListManifestsWhoseSubjectIsTheDigest()
    {
        using var root = new TempRoot();
        var store = root.Store;
        var config = await BlobAsync(store, "r", "config");
        var layer = await BlobAsync(store, "r", "layer");
        var image = ManifestJson(config, layer);
        var imageDigest = Digest.Of(image);
        await store.PutManifestAsync("r", "v1", imageDigest, "application/vnd.oci.image.manifest.v1+json", image, [config, layer], [], null, CancellationToken.None);
        var signature = ManifestJson(config, layer, imageDigest, "application/example.sig");
        var signatureDigest = Digest.Of(signature);
        await store.PutManifestAsync("r", null, signatureDigest, "application/vnd.oci.image.manifest.v1+json", signature, [config, layer], [], imageDigest, CancellationToken.None);
        var referrers = store.Referrers("r", imageDigest);
        var only = Assert.Single(referrers);
        Assert.Equal(signatureDigest.ToString(), only.Digest);
        Assert.Equal("application/example.sig", only.ArtifactType);
        Assert.Empty(store.Referrers("r", signatureDigest));
        store.DeleteManifest("r", signatureDigest);
        Assert.Empty(store.Referrers("r", imageDigest));
    }
}
