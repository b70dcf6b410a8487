using System.Collections.Concurrent;
using Berth.Build.Context;
using Berth.Build.Parser;
using Berth.Build.Planning;
using Berth.Engine.Images;
using Berth.Errdefs;
using Berth.Oci;
using Berth.Oci.Image;

namespace Berth.Engine.Builds;

/// <summary>
/// <c>berth build</c>: a Dockerfile and its context → an image in the store. The front end
/// (Berth.Build) parses and plans; this class executes the plan: every stage the target needs
/// runs as a task that waits for the stages it reads, so independent stages run side by side;
/// each step is looked up in the <see cref="BuildCache"/> by its cache key first and, on a miss,
/// runs (RUN in a real container through the engine's runtime, COPY/ADD/WORKDIR into a mounted
/// snapshot) and leaves one layer. The result is written once at the end, with every timestamp
/// set to the build epoch, so the same inputs give the same image id.
/// <para>
/// Failure: a step that fails stops the build with its error (a RUN's exit code, a COPY's
/// missing source); the step's container is removed and no image is named. Layers that earlier
/// steps wrote stay as cache.
/// </para>
/// </summary>
public sealed partial class BuildService
{
    private readonly Engine _engine;
    private readonly ImageService _images;

    public BuildService(Engine engine)
    {
        _engine = engine;
        _images = ImageService.Of(engine);
        Cache = new BuildCache(CacheRoot(engine.Options.Root), engine.Images.Content);
    }

    /// <summary>Where the build cache index lives under a root.</summary>
    public static string CacheRoot(string root) => Path.Combine(root, "builds", "cache");

    /// <summary>
    /// docker's <c>builder prune</c>: forgets every cached step (and with <paramref name="all"/>
    /// the cache mounts' contents too), then collects the blobs nothing else keeps. Returns the
    /// entries removed and the bytes freed.
    /// </summary>
    public async Task<(int Entries, long Bytes)> PruneAsync(bool all, CancellationToken ct = default)
    {
        int entries;
        using (await _images.WriterLockAsync(ct).ConfigureAwait(false))
            entries = Cache.Clear();
        long bytes = 0;
        if (all && Directory.Exists(Hashes.Root))
            Directory.Delete(Hashes.Root, recursive: true);
        if (all && Directory.Exists(CacheMountRoot))
        {
            bytes += LayerStore.DirectorySize(CacheMountRoot);
            var doomed = CacheMountRoot + ".rm-" + Guid.NewGuid().ToString("N");
            Directory.Move(CacheMountRoot, doomed);
            Directory.Delete(doomed, recursive: true);
        }
        bytes += (await _images.CollectAsync(ct).ConfigureAwait(false)).Bytes;
        return (entries, bytes);
    }

    public BuildCache Cache { get; }

    /// <summary>Content hashes of context files by identity, so an unchanged 20 MB COPY source is not read on every build.</summary>
    public Berth.Build.Copy.FileHashCache Hashes => new(Path.Combine(_engine.Options.Root, "builds", "hashes"));

    /// <summary>Where <c>RUN --mount=type=cache</c> directories live between builds.</summary>
    public string CacheMountRoot => Path.Combine(_engine.Options.Root, "builds", "cache-mounts");

    public async Task<BuildResult> BuildAsync(BuildRequest request, IBuildProgress progress, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(progress);
        var tags = request.Tags.Select(t => ImageService.ParseTag(t).ToString()).ToList();
        var file = DockerfileParser.Parse(request.DockerfileText);
        if (!Directory.Exists(request.ContextDirectory))
            throw BerthException.NotFound($"unable to prepare context: path \"{request.ContextDirectory}\" not found");
        var context = BuildContext.Open(request.ContextDirectory, request.DockerfilePath);

        var bases = new ConcurrentDictionary<string, ImageInfo?>(StringComparer.Ordinal);
        ImageInfo? Base(string reference) =>
            bases.GetOrAdd(reference, r => ResolveOrPull(r, request.Pull, progress, ct));
        var plan = BuildPlanner.Plan(file, new BuildOptions
        {
            Target = request.Target,
            BuildArgs = request.BuildArgs,
            BaseImage = r => Base(r) is { } image ? new BaseImageFacts(image.Config.Config?.Env ?? [], image.Config.Config?.OnBuild ?? []) : null,
        });
        foreach (var warning in plan.Warnings)
            progress.Message(warning);

        var run = new BuildRun(this, request, plan, context, progress, Base);
        var state = await run.RunAsync(ct).ConfigureAwait(false);
        return await WriteImageAsync(state, request, tags, run.Created, progress, ct).ConfigureAwait(false);
    }

    /// <summary>
    /// A base image from the store, pulled first when the store lacks it or <paramref name="pull"/>
    /// asks (docker build --pull). Names that are not references (scratch, ids) are only looked up.
    /// </summary>
    private ImageInfo? ResolveOrPull(string reference, bool pull, IBuildProgress progress, CancellationToken ct)
    {
        var local = _engine.Images.TryResolveAsync(reference, ct).GetAwaiter().GetResult();
        if ((local is not null && !pull) || reference == "scratch" || !Berth.Oci.References.Reference.TryParse(reference, out _)
            || reference.StartsWith("sha256:", StringComparison.Ordinal))
            return local;
        try
        {
            _images.PullAsync(reference, null, new BuildPullProgress(progress), ct).GetAwaiter().GetResult();
        }
        catch (BerthException e)
        {
            throw e.Wrap($"failed to resolve source metadata for {ImageService.ParsePullReference(reference)}");
        }
        return _engine.Images.TryResolveAsync(reference, ct).GetAwaiter().GetResult();
    }

    /// <summary>A base image's pull, reported as build messages (its whole-transfer lines only).</summary>
    private sealed class BuildPullProgress(IBuildProgress progress) : Distribution.ITransferProgress
    {
        public void Status(string line) => progress.Message(line);

        public void Layer(string id, string status, long current = 0, long total = 0)
        {
        }
    }

    internal Engine Engine => _engine;

    internal ImageService ImageService => _images;

    private async Task<BuildResult> WriteImageAsync(BuildState state, BuildRequest request, IReadOnlyList<string> tags, string created, IBuildProgress progress, CancellationToken ct)
    {
        var exec = state.Exec;
        if (request.Labels.Count > 0)
        {
            var labels = exec.Labels is null ? new Dictionary<string, string>(StringComparer.Ordinal) : new Dictionary<string, string>(exec.Labels, StringComparer.Ordinal);
            foreach (var (k, v) in request.Labels)
                labels[k] = v;
            exec = exec with { Labels = labels };
        }
        state = state.WithExec(exec) with { Config = state.Config with { Created = created } };
        using var held = await _images.WriterLockAsync(ct).ConfigureAwait(false);
        var image = await StepContainer.StoreAsync(_engine.Images, state, ct).ConfigureAwait(false);
        var names = new List<string>();
        if (tags.Count == 0)
        {
            await _images.NameNewImageAsync(image.Target, null, ct).ConfigureAwait(false);
        }
        foreach (var tag in tags)
        {
            await _engine.Images.SetNameAsync(tag, image.Target, ct).ConfigureAwait(false);
            names.Add(tag);
            progress.Message($"naming to {tag}");
        }
        return new BuildResult(image.Id, image.Target, names);
    }

    /// <summary>The build epoch as docker writes times (RFC 3339, UTC).</summary>
    internal static string Rfc3339(long epoch) =>
        DateTimeOffset.FromUnixTimeSeconds(epoch).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);
}
