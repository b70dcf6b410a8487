using Berth.Errdefs;
using Berth.Images.Content;
using Berth.Oci;

namespace Berth.Images.Tests.Content;

/// <summary>The contract run against <see cref="FileContentStore"/>, plus what only a store on disk has.</summary>
public sealed class FileContentStoreTests : ContentStoreContract, IDisposable
{
    private readonly ContentTempRoot _root = new();

    protected override IContentStore CreateStore() => new FileContentStore(_root.Path);

    private FileContentStore Files => (FileContentStore)Store;

    public void Dispose() => _root.Dispose();

    [Fact]
    public async Task BlobsAreLaidOutAsAnOciLayoutAndReadOnly()
    {
        var info = await PutAsync(Bytes("layout"));
        var path = Path.Combine(_root.Path, "blobs", "sha256", info.Digest.Encoded);
        Assert.Equal(path, Files.BlobPath(info.Digest));
        Assert.True(File.Exists(path));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.GroupRead | UnixFileMode.OtherRead, File.GetUnixFileMode(path));
        Assert.Empty(Directory.EnumerateFileSystemEntries(Path.Combine(_root.Path, "ingest")));
    }

    [Fact]
    public async Task ASecondInstanceOnTheSameRootSeesTheBlobs()
    {
        var info = await PutAsync(Bytes("shared"));
        var other = new FileContentStore(_root.Path);
        Assert.True(await other.ExistsAsync(info.Digest));
    }

    [Fact]
    public async Task CheckReportsATruncatedBlobAndVerifyRefusesIt()
    {
        var good = await PutAsync(Bytes("intact content"));
        var bad = await PutAsync(Bytes("content that will be cut short"));
        var path = Files.BlobPath(bad.Digest);
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        using (var stream = new FileStream(path, FileMode.Open, FileAccess.Write))
            stream.SetLength(7);

        var report = await Files.CheckAsync(TimeSpan.FromHours(1));

        var corrupt = Assert.Single(report.CorruptBlobs);
        Assert.Equal(bad.Digest, corrupt.Digest);
        Assert.Equal(7, corrupt.Size);
        Assert.False(report.Clean);
        await Files.VerifyAsync(good.Digest);
        var e = await Assert.ThrowsAsync<BerthException>(() => Files.VerifyAsync(bad.Digest));
        Assert.Equal(ErrorKind.FailedPrecondition, e.Kind);
        Assert.Contains(bad.Digest.ToString(), e.Message);
        Assert.Contains(corrupt.Actual.ToString(), e.Message);
    }

    [Fact]
    public async Task CheckRemovesStaleIngestsButKeepsFreshAndLiveOnes()
    {
        var stale = await Files.BeginAsync("stale");
        await stale.WriteAsync(Bytes("left by a crash"));
        await stale.DisposeAsync();
        var fresh = await Files.BeginAsync("fresh");
        await fresh.WriteAsync(Bytes("recent"));
        await fresh.DisposeAsync();
        await using var live = await Files.BeginAsync("live");
        await live.WriteAsync(Bytes("being written"));
        var old = DateTime.UtcNow - TimeSpan.FromDays(2);
        foreach (var reference in new[] { "stale", "live" })
            Age(await Files.StatusAsync(reference), old);

        var report = await Files.CheckAsync(TimeSpan.FromHours(1));

        Assert.Equal(new[] { "stale" }, report.RemovedIngests);
        Assert.True(report.Clean);
        Assert.Equal(ErrorKind.NotFound, (await Assert.ThrowsAsync<BerthException>(() => Files.StatusAsync("stale"))).Kind);
        Assert.Equal(6, (await Files.StatusAsync("fresh")).Offset);
        Assert.Equal(13, (await Files.StatusAsync("live")).Offset);
    }

    [Fact]
    public async Task CheckReportsStrayFilesInBlobs()
    {
        _ = Files;
        await File.WriteAllTextAsync(Path.Combine(_root.Path, "blobs", "sha256", "not-a-digest"), "x");
        var report = await Files.CheckAsync(TimeSpan.FromHours(1));
        Assert.Equal(new[] { Path.Combine("blobs", "sha256", "not-a-digest") }, report.StrayFiles);
    }

    [Fact]
    public async Task AFailedCommitLeavesNothingInBlobs()
    {
        await using var writer = await Files.BeginAsync("r");
        await writer.WriteAsync(Bytes("data"));
        await Assert.ThrowsAsync<BerthException>(() => writer.CommitAsync(Digest.Of(Bytes("nope"))));
        Assert.Empty(Directory.EnumerateFiles(Path.Combine(_root.Path, "blobs"), "*", SearchOption.AllDirectories));
    }

    /// <summary>Back-dates every file of an ingest, as if its writer died long ago.</summary>
    private void Age(IngestStatus status, DateTime when)
    {
        foreach (var directory in Directory.EnumerateDirectories(Path.Combine(_root.Path, "ingest")))
        {
            if (File.ReadAllText(Path.Combine(directory, "ref")) != status.Reference)
                continue;
            foreach (var file in Directory.EnumerateFiles(directory))
                File.SetLastWriteTimeUtc(file, when);
        }
    }
}
