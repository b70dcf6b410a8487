using System.Security.Cryptography;
using System.Text;
using Berth.Errdefs;
using Berth.Images.Content;
using Berth.Oci;

namespace Berth.Images.Tests.Content;

/// <summary>
/// What every <see cref="IContentStore"/> must do. Each implementation gets a subclass that says
/// how to make a fresh, empty store; xunit runs every test here once per subclass.
/// </summary>
public abstract class ContentStoreContract
{
    private IContentStore? _store;

    protected IContentStore Store => _store ??= CreateStore();

    /// <summary>A new empty store for one test.</summary>
    protected abstract IContentStore CreateStore();

    protected static byte[] Bytes(string text) => Encoding.UTF8.GetBytes(text);

    protected async Task<BlobInfo> PutAsync(byte[] content, string? reference = null)
    {
        await using var writer = await Store.BeginAsync(reference ?? Guid.NewGuid().ToString());
        await writer.WriteAsync(content);
        return await writer.CommitAsync(Digest.Of(content), content.Length);
    }

    private async Task<byte[]> ReadAllAsync(Digest digest)
    {
        await using var stream = await Store.OpenReadAsync(digest);
        using var copy = new MemoryStream();
        await stream.CopyToAsync(copy);
        return copy.ToArray();
    }

    private async Task<List<BlobInfo>> WalkAllAsync()
    {
        var all = new List<BlobInfo>();
        await foreach (var info in Store.WalkAsync())
            all.Add(info);
        return all;
    }

    [Fact]
    public async Task WriteInChunksCommitAndRead()
    {
        var content = RandomNumberGenerator.GetBytes(200_000);
        await using (var writer = await Store.BeginAsync("layer-1"))
        {
            for (var at = 0; at < content.Length; at += 65_000)
                await writer.WriteAsync(content.AsMemory(at, Math.Min(65_000, content.Length - at)));
            Assert.Equal(content.Length, writer.Offset);
            var info = await writer.CommitAsync(Digest.Of(content), content.Length);
            Assert.Equal(new BlobInfo(Digest.Of(content), content.Length), info);
        }

        Assert.True(await Store.ExistsAsync(Digest.Of(content)));
        Assert.Equal(content.Length, (await Store.InfoAsync(Digest.Of(content))).Size);
        Assert.Equal(content, await ReadAllAsync(Digest.Of(content)));
        await Store.VerifyAsync(Digest.Of(content));
        await Assert.ThrowsAsync<BerthException>(() => Store.StatusAsync("layer-1"));
    }

    [Fact]
    public async Task CommitWithoutExpectationsNamesTheBlobByItsContent()
    {
        var content = Bytes("hello");
        await using var writer = await Store.BeginAsync("r");
        await writer.WriteAsync(content);
        var info = await writer.CommitAsync();
        Assert.Equal(Digest.Of(content), info.Digest);
        Assert.True(await Store.ExistsAsync(info.Digest));
    }

    [Fact]
    public async Task WrongDigestIsRefusedNamingBothAndNothingBecomesVisible()
    {
        var content = Bytes("the real content");
        var claimed = Digest.Of(Bytes("something else"));
        await using var writer = await Store.BeginAsync("r");
        await writer.WriteAsync(content);

        var e = await Assert.ThrowsAsync<BerthException>(() => writer.CommitAsync(claimed, content.Length));

        Assert.Equal(ErrorKind.FailedPrecondition, e.Kind);
        Assert.Contains(claimed.ToString(), e.Message);
        Assert.Contains(Digest.Of(content).ToString(), e.Message);
        Assert.False(await Store.ExistsAsync(claimed));
        Assert.False(await Store.ExistsAsync(Digest.Of(content)));
        Assert.Empty(await WalkAllAsync());
    }

    [Fact]
    public async Task WrongDigestGivenAtBeginIsRefusedAtCommit()
    {
        var claimed = Digest.Of(Bytes("other"));
        await using var writer = await Store.BeginAsync("r", claimed);
        await writer.WriteAsync(Bytes("mine"));
        var e = await Assert.ThrowsAsync<BerthException>(() => writer.CommitAsync());
        Assert.Equal(ErrorKind.FailedPrecondition, e.Kind);
        Assert.Empty(await WalkAllAsync());
    }

    [Fact]
    public async Task WrongSizeIsRefusedAndNothingBecomesVisible()
    {
        var content = Bytes("twelve bytes");
        await using var writer = await Store.BeginAsync("r");
        await writer.WriteAsync(content);

        var e = await Assert.ThrowsAsync<BerthException>(() => writer.CommitAsync(Digest.Of(content), content.Length + 1));

        Assert.Equal(ErrorKind.FailedPrecondition, e.Kind);
        Assert.Contains("size", e.Message);
        Assert.False(await Store.ExistsAsync(Digest.Of(content)));
    }

    [Fact]
    public async Task WritingPastTheExpectedSizeIsRefused()
    {
        await using var writer = await Store.BeginAsync("r", expectedSize: 3);
        await writer.WriteAsync(Bytes("abc"));
        var e = await Assert.ThrowsAsync<BerthException>(() => writer.WriteAsync(Bytes("d")));
        Assert.Equal(ErrorKind.FailedPrecondition, e.Kind);
        Assert.Equal(3, writer.Offset);
    }

    [Fact]
    public async Task AbandonedIngestResumesFromItsOffset()
    {
        var content = RandomNumberGenerator.GetBytes(100_000);
        var digest = Digest.Of(content);

        // A "crash": the writer goes away after part of the blob, without commit.
        var first = await Store.BeginAsync("pull-1", digest, content.Length);
        await first.WriteAsync(content.AsMemory(0, 40_000));
        await first.DisposeAsync();

        var status = await Store.StatusAsync("pull-1");
        Assert.Equal(40_000, status.Offset);
        Assert.Equal(digest, status.ExpectedDigest);
        Assert.Equal(content.Length, status.ExpectedSize);
        Assert.False(await Store.ExistsAsync(digest));

        await using var second = await Store.BeginAsync("pull-1");
        Assert.Equal(status.Offset, second.Offset);
        await second.WriteAsync(content.AsMemory((int)second.Offset));
        var info = await second.CommitAsync();

        Assert.Equal(digest, info.Digest);
        Assert.Equal(content, await ReadAllAsync(digest));
    }

    [Fact]
    public async Task ResumingWithWrongBytesStillFailsTheDigestCheck()
    {
        var content = Bytes("0123456789");
        var first = await Store.BeginAsync("r", Digest.Of(content));
        await first.WriteAsync(Bytes("01234"));
        await first.DisposeAsync();

        await using var second = await Store.BeginAsync("r");
        await second.WriteAsync(Bytes("XXXXX"));
        var e = await Assert.ThrowsAsync<BerthException>(() => second.CommitAsync());
        Assert.Equal(ErrorKind.FailedPrecondition, e.Kind);
    }

    [Fact]
    public async Task SecondWriterOfTheSameRefIsUnavailableWhileTheFirstIsOpen()
    {
        await using var first = await Store.BeginAsync("r");
        var e = await Assert.ThrowsAsync<BerthException>(() => Store.BeginAsync("r"));
        Assert.Equal(ErrorKind.Unavailable, e.Kind);
    }

    [Fact]
    public async Task SecondCommitOfTheSameBlobIsAlreadyExists()
    {
        var content = Bytes("same");
        await using var a = await Store.BeginAsync("a");
        await using var b = await Store.BeginAsync("b");
        await a.WriteAsync(content);
        await b.WriteAsync(content);

        await a.CommitAsync(Digest.Of(content), content.Length);
        var e = await Assert.ThrowsAsync<BerthException>(() => b.CommitAsync(Digest.Of(content), content.Length));

        Assert.Equal(ErrorKind.AlreadyExists, e.Kind);
        Assert.Equal(content, await ReadAllAsync(Digest.Of(content)));
        await Assert.ThrowsAsync<BerthException>(() => Store.StatusAsync("b"));
    }

    [Fact]
    public async Task BeginWithADigestAlreadyStoredIsAlreadyExists()
    {
        var info = await PutAsync(Bytes("present"));
        var e = await Assert.ThrowsAsync<BerthException>(() => Store.BeginAsync("again", info.Digest));
        Assert.Equal(ErrorKind.AlreadyExists, e.Kind);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ConcurrentWritersOfTheSameBlobAllSucceedAndOneBlobResults(bool sameRef)
    {
        var content = RandomNumberGenerator.GetBytes(300_000);
        var digest = Digest.Of(content);

        await Task.WhenAll(Enumerable.Range(0, 8).Select(i => Task.Run(() =>
            BlobIngest.WriteBlobAsync(Store, sameRef ? "blob" : $"writer-{i}", new MemoryStream(content), digest, content.Length))));

        var all = await WalkAllAsync();
        Assert.Equal(new[] { new BlobInfo(digest, content.Length) }, all);
        Assert.Equal(content, await ReadAllAsync(digest));
    }

    [Fact]
    public async Task RacingCommitsAndBeginsOfOneRefNeverFail()
    {
        // Each round, writers of one ref race: Begin against a commit that removes the ingest.
        for (var round = 0; round < 15; round++)
        {
            var content = RandomNumberGenerator.GetBytes(5_000 + round);
            var digest = Digest.Of(content);
            await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => Task.Run(() =>
                BlobIngest.WriteBlobAsync(Store, "shared-ref", new MemoryStream(content), digest, content.Length))));
            Assert.Equal(content.Length, (await Store.InfoAsync(digest)).Size);
        }
        Assert.Empty(await Store.ListStatusesAsync());
    }

    [Fact]
    public async Task WriteBlobResumesAnAbandonedIngest()
    {
        var content = RandomNumberGenerator.GetBytes(10_000);
        var first = await Store.BeginAsync("r", Digest.Of(content), content.Length);
        await first.WriteAsync(content.AsMemory(0, 3_000));
        await first.DisposeAsync();

        await BlobIngest.WriteBlobAsync(Store, "r", new MemoryStream(content), Digest.Of(content), content.Length);

        Assert.Equal(content, await ReadAllAsync(Digest.Of(content)));
    }

    [Fact]
    public async Task WriteBlobStartsOverWhenTheLeftoverIsLongerThanTheBlob()
    {
        var content = Bytes("short");
        var first = await Store.BeginAsync("r");
        await first.WriteAsync(Bytes("something much longer than the blob"));
        await first.DisposeAsync();

        await BlobIngest.WriteBlobAsync(Store, "r", new MemoryStream(content), Digest.Of(content), content.Length);

        Assert.Equal(content, await ReadAllAsync(Digest.Of(content)));
    }

    [Fact]
    public async Task ListStatusesShowsLiveAndAbandonedIngestsButNotCommittedOnes()
    {
        var abandoned = await Store.BeginAsync("abandoned");
        await abandoned.WriteAsync(Bytes("12345"));
        await abandoned.DisposeAsync();
        await using var live = await Store.BeginAsync("live");
        await live.WriteAsync(Bytes("12"));
        await PutAsync(Bytes("done"), "committed");

        var statuses = await Store.ListStatusesAsync();

        Assert.Equal(
            new[] { ("abandoned", 5L), ("live", 2L) },
            statuses.Select(s => (s.Reference, s.Offset)).OrderBy(p => p.Reference, StringComparer.Ordinal));
    }

    [Fact]
    public async Task AbortRemovesTheIngest()
    {
        var writer = await Store.BeginAsync("r");
        await writer.WriteAsync(Bytes("partial"));
        await writer.DisposeAsync();

        await Store.AbortAsync("r");

        var e = await Assert.ThrowsAsync<BerthException>(() => Store.StatusAsync("r"));
        Assert.Equal(ErrorKind.NotFound, e.Kind);
        await using var again = await Store.BeginAsync("r");
        Assert.Equal(0, again.Offset);
    }

    [Fact]
    public async Task DeleteRemovesTheBlob()
    {
        var info = await PutAsync(Bytes("doomed"));
        await Store.DeleteAsync(info.Digest);

        Assert.False(await Store.ExistsAsync(info.Digest));
        Assert.Equal(ErrorKind.NotFound, (await Assert.ThrowsAsync<BerthException>(() => Store.InfoAsync(info.Digest))).Kind);
        Assert.Equal(ErrorKind.NotFound, (await Assert.ThrowsAsync<BerthException>(() => Store.OpenReadAsync(info.Digest))).Kind);
        Assert.Equal(ErrorKind.NotFound, (await Assert.ThrowsAsync<BerthException>(() => Store.DeleteAsync(info.Digest))).Kind);
    }

    [Fact]
    public async Task UnknownDigestIsNotFoundNamingIt()
    {
        var digest = Digest.Of(Bytes("never stored"));
        var e = await Assert.ThrowsAsync<BerthException>(() => Store.InfoAsync(digest));
        Assert.Equal(ErrorKind.NotFound, e.Kind);
        Assert.Contains(digest.ToString(), e.Message);
        Assert.Equal(ErrorKind.NotFound, (await Assert.ThrowsAsync<BerthException>(() => Store.VerifyAsync(digest))).Kind);
    }

    [Fact]
    public async Task WalkListsCommittedBlobsOnly()
    {
        var a = await PutAsync(Bytes("a"));
        var b = await PutAsync(Bytes("bb"));
        var c = await PutAsync(Bytes("ccc"));
        await using var pending = await Store.BeginAsync("pending");
        await pending.WriteAsync(Bytes("not yet"));

        var all = await WalkAllAsync();

        Assert.Equal(new[] { a, b, c }.OrderBy(i => i.Digest.Encoded), all.OrderBy(i => i.Digest.Encoded));
    }

    [Fact]
    public async Task Sha512DigestsAreVerifiedToo()
    {
        var content = Bytes("five hundred and twelve");
        var digest = Digest.FromHash("sha512", SHA512.HashData(content));
        await using (var writer = await Store.BeginAsync("r", digest, content.Length))
        {
            await writer.WriteAsync(content);
            Assert.Equal(digest, (await writer.CommitAsync()).Digest);
        }
        await Store.VerifyAsync(digest);
        Assert.False(await Store.ExistsAsync(Digest.Of(content)));
    }

    [Theory]
    [InlineData("")]
    [InlineData("a\nb")]
    public async Task BadRefsAreInvalidArgument(string reference)
    {
        var e = await Assert.ThrowsAsync<BerthException>(() => Store.BeginAsync(reference));
        Assert.Equal(ErrorKind.InvalidArgument, e.Kind);
    }
}
