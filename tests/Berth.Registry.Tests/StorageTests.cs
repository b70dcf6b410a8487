using System.Text;
using Berth.Errdefs;
using Berth.Oci;
using Berth.Registry.Storage;

namespace Berth.Registry.Tests;

public sealed class StorageTests
{
    private static Stream Bytes(string text) => new MemoryStream(Encoding.UTF8.GetBytes(text));

    private static async Task<Digest> PushAsync(RegistryStore store, string repository, string content)
    {
        var digest = Digest.Of(Encoding.UTF8.GetBytes(content));
        var id = store.StartUpload(repository);
        await store.CompleteAsync(repository, id, digest, Bytes(content), CancellationToken.None);
        return digest;
    }

    [Fact]
    public async Task BlobIsStoredOnceAndServedOnlyByRepositoriesLinkedToIt()
    {
        using var root = new TempRoot();
        var digest = await PushAsync(root.Store, "a/one", "layer");
        Assert.True(File.Exists(root.Full(RegistryLayout.Blob(digest))));
        Assert.Equal(5, root.Store.StatBlob("a/one", digest)!.Size);
        Assert.Null(root.Store.StatBlob("b", digest));
        await PushAsync(root.Store, "b", "layer");
        Assert.NotNull(root.Store.StatBlob("b", digest));
        Assert.Single(Directory.GetFiles(root.Full("blobs"), "*", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task MountLinksOnlyWhatTheSourceRepositoryHas()
    {
        using var root = new TempRoot();
        var digest = await PushAsync(root.Store, "src", "shared");
        Assert.False(await root.Store.MountAsync("dst", "other", digest, CancellationToken.None));
        Assert.Null(root.Store.StatBlob("dst", digest));
        Assert.True(await root.Store.MountAsync("dst", "src", digest, CancellationToken.None));
        Assert.NotNull(root.Store.StatBlob("dst", digest));
    }

    [Fact]
    public async Task DigestMismatchStoresNothingAndRemovesTheUpload()
    {
        using var root = new TempRoot();
        var id = root.Store.StartUpload("r");
        var claimed = Digest.Of("something else"u8);
        var e = await Assert.ThrowsAsync<BerthException>(() => root.Store.CompleteAsync("r", id, claimed, Bytes("content"), CancellationToken.None));
        Assert.Equal(ErrorKind.InvalidArgument, e.Kind);
        Assert.False(root.Store.HasContent(claimed));
        Assert.False(Directory.Exists(root.Full("blobs")) && Directory.EnumerateFiles(root.Full("blobs"), "*", SearchOption.AllDirectories).Any());
        Assert.Null(root.Store.UploadSize("r", id));
    }

    [Fact]
    public async Task ChunkedUploadResumesInAFreshStoreAfterARestart()
    {
        using var root = new TempRoot();
        var id = root.Store.StartUpload("r");
        Assert.Equal(3, await root.Store.AppendAsync("r", id, Bytes("abc"), 0, 3, CancellationToken.None));
        // A new store on the same root, as after the registry was killed and restarted.
        var restarted = new RegistryStore(new FileSystemDriver(root.Path));
        Assert.Equal(3, restarted.UploadSize("r", id));
        var wrong = await Assert.ThrowsAsync<BerthException>(() => restarted.AppendAsync("r", id, Bytes("zzz"), 1, 3, CancellationToken.None));
        Assert.Equal(ErrorKind.Conflict, wrong.Kind);
        Assert.Equal(6, await restarted.AppendAsync("r", id, Bytes("def"), 3, 3, CancellationToken.None));
        var digest = Digest.Of("abcdef"u8);
        await restarted.CompleteAsync("r", id, digest, null, CancellationToken.None);
        Assert.Equal("abcdef", File.ReadAllText(root.Full(RegistryLayout.Blob(digest))));
        Assert.False(Directory.Exists(root.Full(RegistryLayout.Upload(id))));
    }

    [Fact]
    public void UploadOfAnotherRepositoryOrBadIdIsUnknown()
    {
        using var root = new TempRoot();
        var id = root.Store.StartUpload("r");
        Assert.Equal(0, root.Store.UploadSize("r", id));
        Assert.Null(root.Store.UploadSize("other", id));
        Assert.Null(root.Store.UploadSize("r", "../../blobs"));
        Assert.False(RegistryLayout.IsUploadId("ABCDEF0123456789ABCDEF0123456789"));
    }

    [Fact]
    public void PurgeRemovesOnlyUploadsIdleSinceTheCutoff()
    {
        using var root = new TempRoot();
        var old = root.Store.StartUpload("r");
        var fresh = root.Store.StartUpload("r");
        File.SetLastWriteTimeUtc(root.Full(RegistryLayout.UploadData(old)), DateTime.UtcNow.AddHours(-2));
        Assert.Equal(1, root.Store.PurgeUploads(DateTime.UtcNow.AddHours(-1)));
        Assert.Null(root.Store.UploadSize("r", old));
        Assert.Equal(0, root.Store.UploadSize("r", fresh));
    }

    [Fact]
    public void RepositoriesAreListedSortedWithNestedNames()
    {
        using var root = new TempRoot();
        foreach (var name in new[] { "b", "a/c/d", "a", "a/b" })
        {
            var link = RegistryLayout.Layer(name, Digest.Of("x"u8));
            root.Driver.PutContent(link, "x"u8);
        }
        Assert.Equal(["a", "a/b", "a/c/d", "b"], root.Store.Repositories());
    }

    [Fact]
    public void PutContentIsAtomicAndLeavesNoTempFiles()
    {
        using var root = new TempRoot();
        root.Driver.PutContent("x/y", "one"u8);
        root.Driver.PutContent("x/y", "two"u8);
        Assert.Equal("two", File.ReadAllText(root.Full("x/y")));
        Assert.Single(Directory.GetFiles(root.Full("x")));
        Assert.Equal(["y"], root.Driver.List("x"));
    }
}
