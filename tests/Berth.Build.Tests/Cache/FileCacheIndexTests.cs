using Berth.Build.Cache;
using Berth.Oci;

namespace Berth.Build.Tests.Cache;

public sealed class FileCacheIndexTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("berth-cache-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void RoundTripAndOverwrite()
    {
        var index = new FileCacheIndex(Path.Combine(_dir, "index"));
        var key = Digest.Of("k"u8);
        Assert.Null(index.Get(key));
        index.Put(key, "sha256:aaa");
        Assert.Equal("sha256:aaa", index.Get(key));
        Assert.Equal("sha256:aaa", new FileCacheIndex(Path.Combine(_dir, "index")).Get(key));
        index.Put(key, "sha256:bbb");
        Assert.Equal("sha256:bbb", index.Get(key));
        Assert.Null(index.Get(Digest.Of("other"u8)));
        Assert.Single(Directory.GetFiles(Path.Combine(_dir, "index", "sha256")));
    }

    [Fact]
    public void ConcurrentWritersLeaveOneWholeValue()
    {
        var index = new FileCacheIndex(_dir);
        var key = Digest.Of("k"u8);
        var values = Enumerable.Range(0, 16).Select(i => new string((char)('a' + i), 4096)).ToArray();
        Parallel.ForEach(values, v => index.Put(key, v));
        Assert.Contains(index.Get(key), values);
        Assert.Single(Directory.GetFiles(Path.Combine(_dir, "sha256")));
    }
}
