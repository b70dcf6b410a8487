using System.Formats.Tar;
using System.Text;
using Berth.Errdefs;
using Berth.Images.Archive;
using Berth.Images.Content;
using Berth.Images.Index;
using Berth.Images.Mutate;
using Berth.Images.Tests.Content;
using Berth.Images.Tests.Mutate;
using Berth.Oci;
using Berth.Oci.Image;

namespace Berth.Images.Tests.Archive;

public sealed class ArchiveTests : IDisposable
{
    private const string Name = "docker.io/library/tiny:latest";
    private readonly ContentTempRoot _root = new();

    public void Dispose() => _root.Dispose();

    private (FileContentStore Store, ImageIndex Index) Target(string name)
    {
        var path = Path.Combine(_root.Path, name);
        return (new FileContentStore(path), new ImageIndex(path));
    }

    private async Task<(FileContentStore Store, Descriptor Manifest)> SourceAsync()
    {
        var store = new FileContentStore(Path.Combine(_root.Path, "source"));
        var change = new ImageChange { Created = DateTimeOffset.UnixEpoch, Config = new ContainerConfig { Cmd = ["sh"] } };
        var manifest = await new RootfsImport(store).ImportAsync(new MemoryStream(MutateTests.TinyTar()), change);
        return (store, manifest);
    }

    [Theory]
    [InlineData("docker")]
    [InlineData("oci")]
    public async Task RoundTripKeepsTheManifestAndIsDeterministic(string format)
    {
        var (source, manifest) = await SourceAsync();
        var images = new[] { new ArchiveImage(manifest, [Name, "localhost:5000/x/tiny:v1"]) };
        var first = await SaveAsync(format, source, images);
        var second = await SaveAsync(format, source, images);
        Assert.Equal(first, second);

        var (store, index) = Target("loaded");
        var loaded = await LoadAsync(format, store, index, first);
        var image = Assert.Single(loaded);
        Assert.Equal(manifest.Digest, image.Manifest.Digest);
        Assert.Equal([Name, "localhost:5000/x/tiny:v1"], image.Names.Order(StringComparer.Ordinal));
        Assert.Equal(manifest.Digest, (await index.GetAsync(Name)).Digest);
        var parent = await ParentImage.LoadAsync(store, image.Manifest);
        Assert.Equal(parent.Manifest.Config.Digest, image.ConfigDigest.ToString());
        Assert.Empty(await store.ListStatusesAsync());
    }

    [Fact]
    public async Task DockerArchiveHasManifestJsonWithFamiliarTags()
    {
        var (source, manifest) = await SourceAsync();
        var bytes = await SaveAsync("docker", source, [new ArchiveImage(manifest, [Name])]);
        var files = ReadTar(bytes);
        Assert.Contains("oci-layout", files.Keys);
        Assert.Contains("index.json", files.Keys);
        var json = Encoding.UTF8.GetString(files["manifest.json"]);
        Assert.Contains("\"RepoTags\":[\"tiny:latest\"]", json);
        Assert.Contains("\"Config\":\"blobs/sha256/", json);
    }

    [Fact]
    public async Task LegacyDockerArchiveWithGzipLayersAndSeveralImages()
    {
        var layer = MutateTests.TinyTar();
        var diffId = Digest.Of(layer);
        var gz = MutateTests.Gzip(layer);
        var config = Encoding.UTF8.GetBytes($$"""{"architecture":"amd64","os":"linux","config":{"Cmd":["sh"]},"rootfs":{"type":"layers","diff_ids":["{{diffId}}"]} }""");
        var config2 = Encoding.UTF8.GetBytes($$"""{"architecture":"amd64","os":"linux","config":{"Cmd":["ls"]},"rootfs":{"type":"layers","diff_ids":["{{diffId}}"]} }""");
        var c1 = Digest.Of(config).Encoded;
        var c2 = Digest.Of(config2).Encoded;
        var manifest = $$"""[{"Config":"{{c1}}.json","RepoTags":["tiny:latest"],"Layers":["aaa/layer.tar"]},{"Config":"{{c2}}.json","RepoTags":["other:1"],"Layers":["bbb/layer.tar"]}]""";
        var tar = MakeTar(
            ("aaa/", null, null), ("aaa/layer.tar", gz, null), ("aaa/json", "{}"u8.ToArray(), null), ("aaa/VERSION", "1.0"u8.ToArray(), null),
            ("bbb/", null, null), ("bbb/layer.tar", null, "../aaa/layer.tar"),
            ($"{c1}.json", config, null), ($"{c2}.json", config2, null), ("manifest.json", Encoding.UTF8.GetBytes(manifest), null));
        var (store, index) = Target("legacy");
        var loaded = await DockerArchive.LoadAsync(store, index, new MemoryStream(tar));
        Assert.Equal(2, loaded.Count);
        Assert.Equal(Digest.Of(config), loaded[0].ConfigDigest);
        var image = await ParentImage.LoadAsync(store, await index.GetAsync("docker.io/library/other:1"));
        Assert.Equal(MediaTypes.OciLayerGzip, image.Manifest.Layers[0].MediaType);
        Assert.Equal(["ls"], image.Config.Config!.Cmd);
    }

    [Fact]
    public async Task OciArchiveIsReadByTheDockerLoaderToo()
    {
        var (source, manifest) = await SourceAsync();
        var bytes = await SaveAsync("oci", source, [new ArchiveImage(manifest, [Name])]);
        var (store, index) = Target("oci-as-docker");
        var loaded = await DockerArchive.LoadAsync(store, index, new MemoryStream(MutateTests.Gzip(bytes)));
        Assert.Equal(manifest.Digest, Assert.Single(loaded).Manifest.Digest);
    }

    [Theory]
    [InlineData("docker")]
    [InlineData("oci")]
    public async Task TruncatedArchiveIsInvalidArgumentWithNoIndexEntry(string format)
    {
        var (source, manifest) = await SourceAsync();
        var bytes = await SaveAsync(format, source, [new ArchiveImage(manifest, [Name])]);
        foreach (var length in new[] { 100, 1500, bytes.Length / 2, bytes.Length - 1536 })
        {
            var (store, index) = Target($"truncated-{format}-{length}");
            var e = await Assert.ThrowsAsync<BerthException>(() => LoadAsync(format, store, index, bytes[..length]));
            Assert.Equal(ErrorKind.InvalidArgument, e.Kind);
            Assert.Empty(await index.ListAsync());
        }
    }

    [Fact]
    public async Task DigestMismatchIsRefused()
    {
        var (source, manifest) = await SourceAsync();
        var files = ReadTar(await SaveAsync("oci", source, [new ArchiveImage(manifest, [Name])]));
        var layerPath = files.Keys.First(k => k.StartsWith("blobs/") && files[k].Length == MutateTests.TinyTar().Length);
        files[layerPath] = [.. files[layerPath]];
        files[layerPath][600] ^= 1;
        var (store, index) = Target("mismatch");
        var e = await Assert.ThrowsAsync<BerthException>(() => OciArchive.LoadAsync(store, index, new MemoryStream(MakeTar(files))));
        Assert.Equal(ErrorKind.InvalidArgument, e.Kind);
        Assert.Contains("digest mismatch", e.Message);
        Assert.Empty(await index.ListAsync());
        Assert.False(await store.ExistsAsync(Digest.Parse(layerPath.Replace("blobs/sha256/", "sha256:"))));
        Assert.Empty(await store.ListStatusesAsync());
    }

    [Fact]
    public async Task MissingLayerIsRefused()
    {
        var (source, manifest) = await SourceAsync();
        var files = ReadTar(await SaveAsync("docker", source, [new ArchiveImage(manifest, [Name])]));
        var layerPath = files.Keys.First(k => k.StartsWith("blobs/") && files[k].Length == MutateTests.TinyTar().Length);
        files.Remove(layerPath);
        var (store, index) = Target("missing");
        var e = await Assert.ThrowsAsync<BerthException>(() => DockerArchive.LoadAsync(store, index, new MemoryStream(MakeTar(files))));
        Assert.Equal(ErrorKind.InvalidArgument, e.Kind);
        Assert.Contains("not in the archive", e.Message);
        Assert.Empty(await index.ListAsync());
    }

    [Fact]
    public async Task DiffIdMismatchIsRefused()
    {
        var layer = MutateTests.TinyTar();
        var config = Encoding.UTF8.GetBytes($$"""{"architecture":"amd64","os":"linux","rootfs":{"type":"layers","diff_ids":["{{Digest.Of([1])}}"]} }""");
        var manifest = $$"""[{"Config":"c.json","RepoTags":["tiny:latest"],"Layers":["l/layer.tar"]}]""";
        var tar = MakeTar(("l/layer.tar", layer, null), ("c.json", config, null), ("manifest.json", Encoding.UTF8.GetBytes(manifest), null));
        var (store, index) = Target("diffid");
        var e = await Assert.ThrowsAsync<BerthException>(() => DockerArchive.LoadAsync(store, index, new MemoryStream(tar)));
        Assert.Equal(ErrorKind.InvalidArgument, e.Kind);
        Assert.Contains("is not the config's diff id", e.Message);
        Assert.Empty(await index.ListAsync());
    }

    [Theory]
    [InlineData("../evil", "names with `..`")]
    [InlineData("/etc/passwd", "absolute names")]
    [InlineData("blobs/../../x", "names with `..`")]
    public async Task EscapingEntryNamesAreRefused(string name, string message)
    {
        var tar = MakeTar((name, "x"u8.ToArray(), null));
        var (store, index) = Target("escape");
        var e = await Assert.ThrowsAsync<BerthException>(() => DockerArchive.LoadAsync(store, index, new MemoryStream(tar)));
        Assert.Equal(ErrorKind.InvalidArgument, e.Kind);
        Assert.Contains(message, e.Message);
    }

    [Fact]
    public async Task EscapingLinksAreRefused()
    {
        var tar = MakeTar(("a/layer.tar", null, "../../etc/shadow"));
        var (store, index) = Target("link");
        var e = await Assert.ThrowsAsync<BerthException>(() => DockerArchive.LoadAsync(store, index, new MemoryStream(tar)));
        Assert.Contains("points outside the archive", e.Message);
    }

    [Fact]
    public async Task TooManyEntriesIsRefused()
    {
        var tar = MakeTar(Enumerable.Range(0, 20).Select(i => ($"d{i}/", (byte[]?)null, (string?)null)).ToArray());
        var (store, index) = Target("many");
        var e = await Assert.ThrowsAsync<BerthException>(() =>
            DockerArchive.LoadAsync(store, index, new MemoryStream(tar), new ArchiveLimits { MaxEntries = 10 }));
        Assert.Contains("more than 10 entries", e.Message);
    }

    private static async Task<byte[]> SaveAsync(string format, IBlobReader store, IReadOnlyList<ArchiveImage> images)
    {
        var output = new MemoryStream();
        if (format == "docker")
            await DockerArchive.WriteAsync(store, images, output);
        else
            await OciArchive.WriteAsync(store, images, output);
        return output.ToArray();
    }

    private static Task<IReadOnlyList<LoadedImage>> LoadAsync(string format, IContentStore store, IImageIndex index, byte[] archive) =>
        format == "docker"
            ? DockerArchive.LoadAsync(store, index, new MutateTests.NonSeekable(archive))
            : OciArchive.LoadAsync(store, index, new MutateTests.NonSeekable(archive));

    private static Dictionary<string, byte[]> ReadTar(byte[] archive)
    {
        var files = new Dictionary<string, byte[]>();
        using var reader = new TarReader(new MemoryStream(archive));
        while (reader.GetNextEntry() is { } entry)
        {
            if (entry.EntryType != TarEntryType.RegularFile)
                continue;
            var data = new MemoryStream();
            entry.DataStream!.CopyTo(data);
            files[entry.Name] = data.ToArray();
        }
        return files;
    }

    private static byte[] MakeTar(Dictionary<string, byte[]> files) =>
        MakeTar(files.Select(f => (f.Key, (byte[]?)f.Value, (string?)null)).ToArray());

    private static byte[] MakeTar(params (string Name, byte[]? Data, string? Link)[] entries)
    {
        var output = new MemoryStream();
        using (var writer = new TarWriter(output, TarEntryFormat.Pax, leaveOpen: true))
        {
            foreach (var (name, data, link) in entries)
            {
                var type = link is not null ? TarEntryType.SymbolicLink : name.EndsWith('/') ? TarEntryType.Directory : TarEntryType.RegularFile;
                var entry = new PaxTarEntry(type, name);
                if (link is not null)
                    entry.LinkName = link;
                if (data is not null)
                    entry.DataStream = new MemoryStream(data);
                writer.WriteEntry(entry);
            }
        }
        return output.ToArray();
    }
}
