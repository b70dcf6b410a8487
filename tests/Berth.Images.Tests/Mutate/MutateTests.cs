using System.Formats.Tar;
using System.IO.Compression;
using Berth.Errdefs;
using Berth.Images.Content;
using Berth.Images.Mutate;
using Berth.Images.Tests.Content;
using Berth.Oci;
using Berth.Oci.Image;

namespace Berth.Images.Tests.Mutate;

public sealed class MutateTests : IDisposable
{
    private readonly ContentTempRoot _root = new();

    public void Dispose() => _root.Dispose();

    private FileContentStore Store => new(_root.Path);

    [Fact]
    public async Task BusyboxImageIsDeterministicAndComplete()
    {
        if (!File.Exists("/bin/busybox"))
            return;
        var first = await BaseImage.CreateBusyboxAsync(Store);
        var second = await BaseImage.CreateBusyboxAsync(new FileContentStore(Path.Combine(_root.Path, "other")));
        Assert.Equal(first, second);

        var image = await ParentImage.LoadAsync(Store, first);
        Assert.Equal(["sh"], image.Config.Config!.Cmd);
        Assert.Equal([BaseImage.BusyboxPath], image.Config.Config.Env);
        Assert.Equal(Platform.Host.Architecture, image.Config.Architecture);
        Assert.Single(image.Config.History!);
        Assert.Equal(MediaTypes.OciLayer, Assert.Single(image.Manifest.Layers).MediaType);
        Assert.Equal(image.Manifest.Layers[0].Digest, image.Config.RootFs.DiffIds[0]); // uncompressed: digest is the DiffID

        await using var layer = await Store.OpenReadAsync(Digest.Parse(image.Manifest.Layers[0].Digest));
        using var reader = new TarReader(layer);
        var entries = new Dictionary<string, TarEntry>();
        var names = new List<string>();
        while (reader.GetNextEntry() is { } entry)
        {
            entries[entry.Name] = entry;
            names.Add(entry.Name);
        }
        Assert.Equal(names.Order(StringComparer.Ordinal), names);
        Assert.Equal(TarEntryType.RegularFile, entries["bin/busybox"].EntryType);
        Assert.Equal("/bin/busybox", entries["bin/sh"].LinkName);
        Assert.Equal(UnixFileMode.StickyBit | (UnixFileMode)0x1ff, entries["tmp/"].Mode);
        Assert.True(entries.ContainsKey("usr/sbin/"));
        Assert.All(entries.Values, e => Assert.Equal(new DateTimeOffset(2000, 1, 1, 0, 0, 0, TimeSpan.Zero), e.ModificationTime));
    }

    [Fact]
    public async Task BusyboxMissingIsNotFoundNamingThePackage()
    {
        var e = await Assert.ThrowsAsync<BerthException>(() =>
            BaseImage.CreateBusyboxAsync(Store, new BusyboxOptions { BusyboxPath = Path.Combine(_root.Path, "nope") }));
        Assert.Equal(ErrorKind.NotFound, e.Kind);
        Assert.Contains("busybox-static", e.Message);
    }

    [Theory]
    [InlineData("none")]
    [InlineData("gzip")]
    [InlineData("zstd")]
    public async Task ImportStoresTheUncompressedTar(string compression)
    {
        var tar = TinyTar();
        var input = compression switch
        {
            "gzip" => Gzip(tar),
            "zstd" => new ZstdSharp.Compressor().Wrap(tar).ToArray(),
            _ => tar,
        };
        var change = new ImageChange
        {
            Created = DateTimeOffset.UnixEpoch,
            Config = ConfigChanges.Apply(null, ["CMD echo hi", "ENV A=1"]),
            Platform = new Platform { Os = "linux", Architecture = "arm64" },
        };
        var manifest = await new RootfsImport(Store).ImportAsync(new NonSeekable(input), change);
        var image = await ParentImage.LoadAsync(Store, manifest);
        Assert.Equal(Digest.Of(tar).ToString(), image.Manifest.Layers[0].Digest);
        Assert.Equal(Digest.Of(tar).ToString(), image.Config.RootFs.DiffIds[0]);
        Assert.Equal("arm64", image.Config.Architecture);
        Assert.Equal(["/bin/sh", "-c", "echo hi"], image.Config.Config!.Cmd);
        Assert.Equal("Imported from -", image.Config.History![0].Comment);
        Assert.Empty((await Store.ListStatusesAsync()));
    }

    [Fact]
    public async Task ImportOfGarbageIsInvalidArgumentAndLeavesNothing()
    {
        var garbage = new byte[2048];
        new Random(1).NextBytes(garbage);
        var e = await Assert.ThrowsAsync<BerthException>(() => new RootfsImport(Store).ImportAsync(new MemoryStream(garbage), new ImageChange()));
        Assert.Equal(ErrorKind.InvalidArgument, e.Kind);
        var truncated = TinyTar()[..700];
        e = await Assert.ThrowsAsync<BerthException>(() => new RootfsImport(Store).ImportAsync(new MemoryStream(truncated), new ImageChange()));
        Assert.Equal(ErrorKind.InvalidArgument, e.Kind);
        Assert.Empty(await Store.ListStatusesAsync());
        Assert.Empty(await Store.WalkAsync().ToListAsync());
    }

    [Fact]
    public async Task WriterAppendsLayersAndHistoryToAParent()
    {
        var store = Store;
        var baseManifest = await new RootfsImport(store).ImportAsync(new MemoryStream(TinyTar()), new ImageChange { Created = DateTimeOffset.UnixEpoch });
        var parent = await ParentImage.LoadAsync(store, baseManifest);
        var tar = TinyTar("second");
        var digest = Digest.Of(tar);
        await BlobIngest.WriteBlobAsync(store, "x", new MemoryStream(tar), digest, tar.Length);
        var layer = new NewLayer(new Descriptor { MediaType = MediaTypes.DockerLayer, Digest = digest.ToString(), Size = tar.Length }, digest) { CreatedBy = "COPY second /" };
        var child = await new ImageWriter(store).WriteAsync(parent, new ImageChange { Layers = [layer], Created = DateTimeOffset.UnixEpoch });
        var image = await ParentImage.LoadAsync(store, child);
        Assert.Equal(2, image.Manifest.Layers.Count);
        Assert.Equal(MediaTypes.OciLayer, image.Manifest.Layers[1].MediaType); // the Docker spelling is translated
        Assert.Equal(["COPY second /"], image.Config.History!.Skip(1).Select(h => h.CreatedBy));
        Assert.Equal("1970-01-01T00:00:00Z", image.Config.Created);

        var configOnly = await new ImageWriter(store).WriteAsync(image, new ImageChange { CreatedBy = "LABEL a=b", Config = ConfigChanges.Apply(image.Config.Config, ["LABEL a=b"]) });
        var updated = await ParentImage.LoadAsync(store, configOnly);
        Assert.True(updated.Config.History![^1].EmptyLayer);
        Assert.Equal("b", updated.Config.Config!.Labels!["a"]);

        var missing = layer with { Blob = layer.Blob with { Digest = Digest.Of([1, 2]).ToString() } };
        var e = await Assert.ThrowsAsync<BerthException>(() => new ImageWriter(store).WriteAsync(null, new ImageChange { Layers = [missing] }));
        Assert.Equal(ErrorKind.NotFound, e.Kind);
    }

    internal static byte[] TinyTar(string name = "hello")
    {
        var output = new MemoryStream();
        using (var writer = new TarWriter(output, TarEntryFormat.Ustar, leaveOpen: true))
        {
            var entry = new UstarTarEntry(TarEntryType.RegularFile, name)
            {
                DataStream = new MemoryStream("hello world\n"u8.ToArray()),
                ModificationTime = DateTimeOffset.UnixEpoch,
            };
            writer.WriteEntry(entry);
        }
        return output.ToArray();
    }

    internal static byte[] Gzip(byte[] data)
    {
        var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true))
            gzip.Write(data);
        return output.ToArray();
    }

    /// <summary>Like stdin: no seeking, no length.</summary>
    internal sealed class NonSeekable(byte[] data) : Stream
    {
        private readonly MemoryStream _inner = new(data);
        public override int Read(byte[] buffer, int offset, int count) => _inner.Read(buffer, offset, count);
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
