using Berth.Images.Archive;
using Berth.Images.Content;
using Berth.Images.Index;
using Berth.Images.Mutate;
using Berth.Oci;
using Berth.Oci.Image;

namespace Berth.IntegrationTests.Interop;

/// <summary>
/// The busybox base image built with Berth's library into a temp store (an OCI layout), saved as
/// a docker archive and an OCI archive; everything in one temp directory, removed at the end.
/// </summary>
public sealed class InteropFixture : IAsyncLifetime
{
    public const string Name = "docker.io/library/berth-busybox:latest";

    public string Root { get; } = Directory.CreateTempSubdirectory("berth-interop-").FullName;

    public string Store => Path.Combine(Root, "store");

    public string DockerArchivePath => Path.Combine(Root, "docker.tar");

    public string OciArchivePath => Path.Combine(Root, "oci.tar");

    public Descriptor Manifest { get; private set; } = new();

    public ImageConfig Config { get; private set; } = new();

    public Digest ConfigDigest { get; private set; }

    public bool HasBusybox => File.Exists("/bin/busybox");

    public async Task InitializeAsync()
    {
        if (!HasBusybox)
            return;
        var store = new FileContentStore(Store);
        Manifest = await BaseImage.CreateBusyboxAsync(store);
        await new ImageIndex(Store).SetAsync(Name, Manifest);
        var image = await ParentImage.LoadAsync(store, Manifest);
        Config = image.Config;
        ConfigDigest = Digest.Parse(image.Manifest.Config.Digest);
        await using (var output = File.Create(DockerArchivePath))
            await DockerArchive.WriteAsync(store, [new ArchiveImage(Manifest, [Name])], output);
        await using (var output = File.Create(OciArchivePath))
            await OciArchive.WriteAsync(store, [new ArchiveImage(Manifest, [Name])], output);
    }

    /// <summary>Loads an archive a peer wrote into a fresh store; returns the image and its config.</summary>
    public async Task<(LoadedImage Image, ImageConfig Config)> LoadAsync(string archive, bool oci)
    {
        var target = Path.Combine(Root, $"load-{Guid.NewGuid():N}");
        var store = new FileContentStore(target);
        await using var input = File.OpenRead(archive);
        var loaded = oci
            ? await OciArchive.LoadAsync(store, new ImageIndex(target), input)
            : await DockerArchive.LoadAsync(store, new ImageIndex(target), input);
        var image = Assert.Single(loaded);
        var parent = await ParentImage.LoadAsync(store, image.Manifest);
        return (image, parent.Config);
    }

    public Task DisposeAsync()
    {
        Directory.Delete(Root, recursive: true);
        return Task.CompletedTask;
    }
}
