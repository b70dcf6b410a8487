using System.Text;
using Berth.Errdefs;
using Berth.Images.Index;
using Berth.Images.Tests.Content;
using Berth.Oci;
using Berth.Oci.Image;

namespace Berth.Images.Tests.Index;

public sealed class ImageIndexTests : IDisposable
{
    private readonly ContentTempRoot _root = new();

    public void Dispose() => _root.Dispose();

    private string IndexPath => Path.Combine(_root.Path, "index.json");

    private static Descriptor Manifest(string seed, long size = 100) => new()
    {
        MediaType = MediaTypes.OciManifest,
        Digest = Digest.Of(Encoding.UTF8.GetBytes(seed)).ToString(),
        Size = size,
    };

    [Fact]
    public async Task SetGetListRemove()
    {
        var index = new ImageIndex(_root.Path);
        var busybox = Manifest("busybox");
        var alpine = Manifest("alpine");

        await index.SetAsync("docker.io/library/busybox:latest", busybox);
        await index.SetAsync("docker.io/library/alpine:3.20", alpine);

        Assert.Equal(busybox, await index.GetAsync("docker.io/library/busybox:latest"));
        Assert.Equal(
            new[] { new ImageRecord("docker.io/library/alpine:3.20", alpine), new ImageRecord("docker.io/library/busybox:latest", busybox) },
            await index.ListAsync());

        await index.RemoveAsync("docker.io/library/busybox:latest");

        var e = await Assert.ThrowsAsync<BerthException>(() => index.GetAsync("docker.io/library/busybox:latest"));
        Assert.Equal(ErrorKind.NotFound, e.Kind);
        Assert.Contains("docker.io/library/busybox:latest", e.Message);
        Assert.Single(await index.ListAsync());
    }

    [Fact]
    public async Task AnEmptyIndexHasNoNames()
    {
        var index = new ImageIndex(_root.Path);
        Assert.Empty(await index.ListAsync());
        Assert.Equal(ErrorKind.NotFound, (await Assert.ThrowsAsync<BerthException>(() => index.RemoveAsync("docker.io/x/y:z"))).Kind);
    }

    [Fact]
    public async Task SetReplacesWhatANamePointsAt()
    {
        var index = new ImageIndex(_root.Path);
        await index.SetAsync("docker.io/library/busybox:latest", Manifest("old"));
        await index.SetAsync("docker.io/library/busybox:latest", Manifest("new"));
        var only = Assert.Single(await index.ListAsync());
        Assert.Equal(Manifest("new"), only.Target);
    }

    [Fact]
    public async Task NamesForADigest()
    {
        var index = new ImageIndex(_root.Path);
        var shared = Manifest("shared");
        await index.SetAsync("docker.io/library/busybox:latest", shared);
        await index.SetAsync("localhost:5000/busybox:mine", shared);
        await index.SetAsync("docker.io/library/alpine:latest", Manifest("other"));

        var names = await index.NamesForAsync(Digest.Parse(shared.Digest));

        Assert.Equal(new[] { "docker.io/library/busybox:latest", "localhost:5000/busybox:mine" }, names);
        Assert.Empty(await index.NamesForAsync(Digest.Of("nothing"u8)));
    }

    [Fact]
    public async Task CallerAnnotationsAndPlatformSurviveARoundTrip()
    {
        var index = new ImageIndex(_root.Path);
        var target = Manifest("annotated") with
        {
            Annotations = new Dictionary<string, string> { ["org.opencontainers.image.created"] = "2026-01-01T00:00:00Z" },
            Platform = new Platform { Architecture = "amd64", Os = "linux", OsVersion = "6.1" },
        };
        await index.SetAsync("docker.io/library/busybox:latest", target);

        var read = await index.GetAsync("docker.io/library/busybox:latest");

        Assert.Equal("2026-01-01T00:00:00Z", Assert.Single(read.Annotations!).Value);
        Assert.Equal("6.1", read.Platform!.OsVersion);
    }

    [Fact]
    public async Task TheFileIsAnOciLayoutIndexWithDockerSaveAnnotations()
    {
        var index = new ImageIndex(_root.Path);
        await index.SetAsync("docker.io/library/busybox:latest", Manifest("busybox"));
        await index.SetAsync("docker.io/library/busybox@" + Digest.Of("x"u8), Manifest("pinned"));

        var parsed = ImageJson.ParseIndex(await File.ReadAllBytesAsync(IndexPath));

        Assert.Equal(MediaTypes.OciIndex, parsed.MediaType);
        var tagged = parsed.Manifests.Single(m => m.Digest == Manifest("busybox").Digest);
        Assert.Equal("docker.io/library/busybox:latest", tagged.Annotations![ImageIndex.NameAnnotation]);
        Assert.Equal("docker.io/library/busybox:latest", tagged.Annotations[ImageIndex.RefNameAnnotation]);
        var pinned = parsed.Manifests.Single(m => m.Digest == Manifest("pinned").Digest);
        Assert.StartsWith("docker.io/library/busybox@sha256:", pinned.Annotations![ImageIndex.RefNameAnnotation]);
        Assert.Contains("imageLayoutVersion", await File.ReadAllTextAsync(Path.Combine(_root.Path, "oci-layout")));
    }

    [Fact]
    public async Task ConcurrentWritersFromSeparateInstancesLoseNothing()
    {
        // Separate instances open the lock file separately, as two processes would.
        var writers = Enumerable.Range(0, 4).Select(_ => new ImageIndex(_root.Path)).ToArray();

        await Task.WhenAll(Enumerable.Range(0, 60).Select(i => Task.Run(() =>
            writers[i % writers.Length].SetAsync($"docker.io/library/image{i}:latest", Manifest($"m{i}")))));

        var names = (await new ImageIndex(_root.Path).ListAsync()).Select(r => r.Name).ToHashSet();
        Assert.Equal(60, names.Count);
        Assert.Empty(Directory.EnumerateFiles(_root.Path, "index.json.tmp-*"));
    }

    [Fact]
    public async Task ConcurrentSetsAndRemovesLoseNothing()
    {
        var index = new ImageIndex(_root.Path);
        for (var i = 0; i < 20; i++)
            await index.SetAsync($"docker.io/library/old{i}:latest", Manifest($"o{i}"));
        var other = new ImageIndex(_root.Path);

        await Task.WhenAll(Enumerable.Range(0, 20).Select(i => Task.Run(async () =>
        {
            await index.RemoveAsync($"docker.io/library/old{i}:latest");
            await other.SetAsync($"docker.io/library/new{i}:latest", Manifest($"n{i}"));
        })));

        var names = (await index.ListAsync()).Select(r => r.Name).ToList();
        Assert.Equal(20, names.Count);
        Assert.All(names, n => Assert.Contains("/new", n));
    }

    [Fact]
    public async Task AWriterWaitsForTheLockHeldByAnotherProcess()
    {
        var index = new ImageIndex(_root.Path);
        var ready = Path.Combine(_root.Path, "ready");
        var release = Path.Combine(_root.Path, "release");
        // flock(1) in another process holds the same lock the index takes, until told to let go
        // (not for a fixed time, which a loaded machine could outlast).
        using var holder = System.Diagnostics.Process.Start(
            "flock", [IndexPath + ".lock", "-c", $"touch '{ready}'; while [ ! -e '{release}' ]; do sleep 0.02; done"]);
        while (!File.Exists(ready))
            await Task.Delay(10);

        var set = index.SetAsync("docker.io/library/busybox:latest", Manifest("busybox"));
        await Task.Delay(300);
        Assert.False(set.IsCompleted);

        File.WriteAllText(release, "");
        await holder.WaitForExitAsync();
        await set.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Single(await index.ListAsync());
    }

    [Fact]
    public async Task ATornTemporaryFileLeftByACrashIsIgnored()
    {
        var index = new ImageIndex(_root.Path);
        await index.SetAsync("docker.io/library/busybox:latest", Manifest("busybox"));
        await File.WriteAllTextAsync(IndexPath + ".tmp-4242-deadbeef", """{"schemaVersion":2,"manifests":[{"medi""");

        Assert.Single(await index.ListAsync());
        await index.SetAsync("docker.io/library/alpine:latest", Manifest("alpine"));
        Assert.Equal(2, (await new ImageIndex(_root.Path).ListAsync()).Count);
    }

    [Theory]
    [InlineData("{\"schemaVersion\":2,\"manifests\":[{\"mediaTy")]
    [InlineData("")]
    [InlineData("{\"schemaVersion\":2,\"manifests\":[{\"mediaType\":\"x\",\"digest\":\"sha256:zz\",\"size\":1}]}")]
    public async Task ACorruptIndexIsAClearErrorAndIsNotReplaced(string text)
    {
        await File.WriteAllTextAsync(IndexPath, text);
        var index = new ImageIndex(_root.Path);

        var read = await Assert.ThrowsAsync<BerthException>(() => index.ListAsync());
        var write = await Assert.ThrowsAsync<BerthException>(() => index.SetAsync("docker.io/library/busybox:latest", Manifest("b")));

        Assert.Equal(ErrorKind.FailedPrecondition, read.Kind);
        Assert.Contains(IndexPath, read.Message);
        Assert.Equal(ErrorKind.FailedPrecondition, write.Kind);
        Assert.Equal(text, await File.ReadAllTextAsync(IndexPath));
    }

    [Theory]
    [InlineData("")]
    [InlineData("docker.io/library/busybox:latest\n")]
    [InlineData("a\0b")]
    public async Task BadNamesAreInvalidArgument(string name)
    {
        var index = new ImageIndex(_root.Path);
        var e = await Assert.ThrowsAsync<BerthException>(() => index.SetAsync(name, Manifest("x")));
        Assert.Equal(ErrorKind.InvalidArgument, e.Kind);
    }

    [Fact]
    public async Task ADescriptorWithABadDigestIsRefused()
    {
        var index = new ImageIndex(_root.Path);
        var e = await Assert.ThrowsAsync<BerthException>(() =>
            index.SetAsync("docker.io/library/busybox:latest", Manifest("x") with { Digest = "sha256:nope" }));
        Assert.Equal(ErrorKind.InvalidArgument, e.Kind);
        Assert.False(File.Exists(IndexPath));
    }
}
