using Berth.Engine.Containers;
using Berth.Engine.Images;
using Berth.Engine.Model;
using Berth.Errdefs;
using Berth.Images.Content;
using Berth.Oci;
using Berth.Oci.Image;

namespace Berth.Engine.Builds;

/// <summary>
/// The container a build step works in, made from a <see cref="BuildState"/> that has no name in
/// the image index: its config and manifest go into the store as blobs (so the container can
/// name its image, as docker's build containers do), its layers are unpacked as for any
/// container. RUN starts it; COPY and WORKDIR only mount its snapshot and write into
/// <see cref="Rootfs"/>. Disposing removes the container, whatever happened.
/// </summary>
internal sealed class StepContainer : IAsyncDisposable
{
    private readonly ContainerService _containers;

    private StepContainer(ContainerService containers, ContainerRecord record)
    {
        _containers = containers;
        Record = record;
        Dir = containers.Store.Dir(record.Id);
    }

    public ContainerRecord Record { get; }

    public string Dir { get; }

    public string Rootfs => Snapshot.RootfsPath(Dir);

    public string Upper => Snapshot.UpperPath(Dir);

    public IReadOnlyList<string> Lowers => Record.LayerChain;

    public static async Task<StepContainer> CreateAsync(Engine engine, BuildState state, Config config, HostConfig host, CancellationToken ct)
    {
        var image = await StoreAsync(engine.Images, state, ct).ConfigureAwait(false);
        var record = await engine.Containers.CreateFromAsync(new CreateRequest(null, config with { Image = image.Id.ToString() }, host), image, ct).ConfigureAwait(false);
        return new StepContainer(engine.Containers, record);
    }

    /// <summary>Writes the state's config and manifest blobs and returns the image they make.</summary>
    public static async Task<ImageInfo> StoreAsync(ImageStore images, BuildState state, CancellationToken ct)
    {
        var configBytes = ImageJson.Serialize(state.Config);
        var configDigest = await WriteBlobAsync(images.Content, configBytes, ct).ConfigureAwait(false);
        var manifest = new Manifest
        {
            SchemaVersion = 2,
            MediaType = MediaTypes.OciManifest,
            Config = new Descriptor { MediaType = MediaTypes.OciConfig, Digest = configDigest.ToString(), Size = configBytes.Length },
            Layers = state.Layers,
        };
        var manifestBytes = ImageJson.Serialize(manifest);
        var manifestDigest = await WriteBlobAsync(images.Content, manifestBytes, ct).ConfigureAwait(false);
        var descriptor = new Descriptor { MediaType = MediaTypes.OciManifest, Digest = manifestDigest.ToString(), Size = manifestBytes.Length };
        return new ImageInfo(descriptor, descriptor, manifest, state.Config, configDigest, []);
    }

    public static async Task<Digest> WriteBlobAsync(FileContentStore content, byte[] bytes, CancellationToken ct)
    {
        var digest = Digest.Of(bytes);
        using var stream = new MemoryStream(bytes, writable: false);
        await BlobIngest.WriteBlobAsync(content, "build-" + digest.Encoded, stream, digest, bytes.Length, ct).ConfigureAwait(false);
        return digest;
    }

    public void Mount() => Snapshot.Mount(Dir, Lowers);

    public void Unmount() => Snapshot.Unmount(Dir);

    public async ValueTask DisposeAsync()
    {
        try
        {
            Unmount();
        }
        catch (BerthException)
        {
            // rm -f below detaches it as well.
        }
        await _containers.RemoveAsync(Record.Id, force: true, CancellationToken.None).ConfigureAwait(false);
    }
}
