using Berth.Engine.Containers;
using Berth.Engine.Model;
using Berth.Errdefs;
using Berth.Images.Content;
using Berth.Images.Layers;
using Berth.Images.Mutate;
using Berth.Oci;
using Berth.Oci.Image;

namespace Berth.Engine.Images;

/// <summary>What <c>commit</c> writes besides the layer: docker's -a, -m, -c and -p.</summary>
public sealed record CommitOptions
{
    public string? Author { get; init; }
    public string? Message { get; init; }
    public IReadOnlyList<string> Changes { get; init; } = [];
    public bool Pause { get; init; } = true;
    public string? Reference { get; init; }
}

public sealed partial class ImageService
{
    /// <summary>
    /// docker commit: the container's changes (its upper dir against its lowers) become one
    /// uncompressed layer on top of the container's image, with the container's execution
    /// defaults and <see cref="CommitOptions.Changes"/> applied. The layer streams straight into
    /// an ingest and is committed under the DiffID the differ computed, which the store checks
    /// against the bytes it received; the name is set last. Returns the new image id.
    /// </summary>
    public async Task<Digest> CommitAsync(string container, CommitOptions options, CancellationToken cancellationToken = default)
    {
        var reference = options.Reference is null ? null : ParseTag(options.Reference).ToString();
        var view = _service.Get(container);
        var record = view.Record;
        var manifestDescriptor = new Descriptor { MediaType = MediaTypes.OciManifest, Digest = record.ImageManifest, Size = 0 };
        ParentImage parent;
        try
        {
            var info = await _images.Content.InfoAsync(Digest.Parse(record.ImageManifest), cancellationToken).ConfigureAwait(false);
            var bytes = await _images.ReadBlobAsync(manifestDescriptor with { Size = info.Size }, cancellationToken).ConfigureAwait(false);
            manifestDescriptor = manifestDescriptor with { Size = info.Size, MediaType = ImageJson.DetectMediaType(bytes) ?? MediaTypes.OciManifest };
            parent = await ParentImage.LoadAsync(_images.Content, manifestDescriptor, cancellationToken).ConfigureAwait(false);
        }
        catch (BerthException e)
        {
            throw e.Wrap($"commit `{record.Name}`: read its image {record.Image}");
        }
        var config = ConfigChanges.Apply(Merge(parent.Config.Config, record.Config), options.Changes);

        await AbortLeftoverIngestsAsync(cancellationToken).ConfigureAwait(false);
        using var held = await WriterLockAsync(cancellationToken).ConfigureAwait(false);
        var paused = false;
        if (options.Pause && view.State.Running && !view.State.Paused)
        {
            _service.Pause(record.Id);
            paused = true;
        }
        NewLayer layer;
        try
        {
            layer = await WriteLayerAsync(view.Dir, record.LayerChain, cancellationToken).ConfigureAwait(false);
        }
        catch (BerthException e)
        {
            throw e.Wrap($"commit `{record.Name}`");
        }
        finally
        {
            if (paused)
                _service.Unpause(record.Id);
        }
        var createdBy = string.Join(' ', new[] { record.Path }.Concat(record.Args));
        var manifest = await new ImageWriter(_images.Content).WriteAsync(parent, new ImageChange
        {
            Layers = [layer with { CreatedBy = createdBy, Comment = options.Message }],
            Config = config,
            Author = options.Author,
            Created = DateTimeOffset.UtcNow,
        }, cancellationToken).ConfigureAwait(false);
        return await NameNewImageAsync(manifest, reference, cancellationToken).ConfigureAwait(false);
    }

    private async Task<NewLayer> WriteLayerAsync(string dir, IReadOnlyList<string> lowers, CancellationToken cancellationToken) =>
        (await LayerCommit.WriteAsync(_images.Content, Snapshot.UpperPath(dir), lowers, cancellationToken: cancellationToken).ConfigureAwait(false)).Layer;

    /// <summary>
    /// The committed image's execution defaults: the image's, with what the container was created
    /// with on top (as docker's merge at create: env by key, labels by key, ports and volumes added).
    /// </summary>
    public static ContainerConfig Merge(ContainerConfig? image, Config container)
    {
        image ??= new ContainerConfig();
        var env = new List<string>(image.Env ?? []);
        foreach (var e in container.Env ?? [])
        {
            var key = e.Split('=', 2)[0];
            var at = env.FindIndex(x => x.Split('=', 2)[0] == key);
            if (at >= 0)
                env[at] = e;
            else
                env.Add(e);
        }
        Dictionary<string, string>? labels = image.Labels is null ? null : new(image.Labels);
        if (container.Labels is { Count: > 0 })
        {
            labels ??= [];
            foreach (var (k, v) in container.Labels)
                labels[k] = v;
        }
        var entrypointSet = container.Entrypoint is not null;
        return image with
        {
            User = container.User.Length > 0 ? container.User : image.User,
            Env = env.Count > 0 ? env : image.Env,
            Entrypoint = entrypointSet ? (container.Entrypoint!.Count == 0 ? null : container.Entrypoint) : image.Entrypoint,
            Cmd = container.Cmd is { Count: > 0 } ? container.Cmd : entrypointSet ? null : image.Cmd,
            WorkingDir = container.WorkingDir.Length > 0 ? container.WorkingDir : image.WorkingDir,
            Labels = labels,
            ExposedPorts = Union(image.ExposedPorts, container.ExposedPorts),
            Volumes = Union(image.Volumes, container.Volumes),
            StopSignal = container.StopSignal ?? image.StopSignal,
            Healthcheck = container.Healthcheck ?? image.Healthcheck,
            Shell = container.Shell ?? image.Shell,
            OnBuild = container.OnBuild ?? image.OnBuild,
        };
    }

    private static IReadOnlyList<string>? Union(IReadOnlyList<string>? a, IReadOnlyList<string>? b) =>
        a is null && b is null ? null : (a ?? []).Concat(b ?? []).Distinct(StringComparer.Ordinal).ToList();
}
