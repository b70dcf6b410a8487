using System.Collections.Concurrent;
using Berth.Images.Archive;
using Berth.Images.Content;
using Berth.Images.Index;
using Berth.Images.Mutate;
using Berth.IntegrationTests.Cli;
using Berth.IntegrationTests.Interop;

namespace Berth.IntegrationTests.Build;

/// <summary>
/// The builders of the parity tests, each with private state under one temp directory: a
/// dockerd of its own (tests/peers/dockerd.sh; legacy builder and BuildKit), buildah storage
/// of its own (tests/peers/buildah.sh) and, when the binaries are built, a berth root. All
/// three are given the same busybox base image (Berth's deterministic one, as a docker archive)
/// before any build. Each case is built once per builder and kept as a snapshot. Dispose stops
/// dockerd by its PID, removes buildah's storage and berth's root, then the directory, also
/// when a build failed.
/// </summary>
public sealed class ParityFixture : IAsyncLifetime
{
    public const string BaseName = "docker.io/library/busybox:latest";

    private readonly ConcurrentDictionary<string, Lazy<Task<ImageSnapshot>>> snapshots = new();
    private readonly ConcurrentDictionary<string, Lazy<Task<string>>> contexts = new();
    private readonly Dictionary<string, IImageBuilder> builders = [];
    private readonly ConcurrentDictionary<string, Lazy<Task<LoopbackServer>>> servers = new();
    private BuildahBuilder? buildah;
    private BerthFixture? berth;
    private string? dockerDir;

    public string Root { get; } = Directory.CreateTempSubdirectory("berth-parity-").FullName;

    /// <summary>The image ID each builder gave the base image when it loaded it.</summary>
    public Dictionary<string, string> BaseIds { get; } = [];

    public static string Repo { get; } = BerthCli.Repo;

    public async Task InitializeAsync()
    {
        if (ParityTheoryAttribute.PeersSkipReason() is not null)
            return;
        try
        {
            var baseArchive = await WriteBaseArchiveAsync();
            await StartDockerAsync();
            buildah = new BuildahBuilder(Path.Combine(Repo, "tests", "peers", "buildah.sh"), Path.Combine(Root, "buildah"));
            builders[buildah.Name] = buildah;
            if (ParityTheoryAttribute.BerthSkipReason() is null)
            {
                berth = new BerthFixture();
                builders["berth"] = new BerthBuilder(berth.Root);
            }
            foreach (var builder in builders.Values)
                BaseIds[builder.Name] = await builder.LoadAsync(baseArchive, BaseName);
        }
        catch
        {
            await DisposeAsync();
            throw;
        }
    }

    /// <summary>The snapshot of <paramref name="parityCase"/> built by <paramref name="builder"/> (built on first use).</summary>
    public Task<ImageSnapshot> SnapshotAsync(string builder, ParityCase parityCase) =>
        snapshots.GetOrAdd($"{builder}/{parityCase.Name}", _ => new Lazy<Task<ImageSnapshot>>(() => BuildAsync(builders[builder], parityCase))).Value;

    /// <summary>The docker builder for a case: the legacy one unless the case needs BuildKit.</summary>
    public static string Docker(ParityCase parityCase) => parityCase.BuildKit ? "docker-buildkit" : "docker";

    private async Task<ImageSnapshot> BuildAsync(IImageBuilder builder, ParityCase parityCase)
    {
        if (parityCase.Requires is { } required)
            await SnapshotAsync(builder.Name, ParityCases.Get(required));
        var context = await ContextAsync(parityCase);
        var buildArgs = new Dictionary<string, string>(parityCase.BuildArgs);
        if (parityCase.ServesHttp)
            buildArgs["SERVER"] = (await ServerAsync(parityCase, context)).Url;
        await builder.BuildAsync(new BuildRequest(context, "Dockerfile", parityCase.Tag, buildArgs, parityCase.Target, parityCase.BuildKit));
        var archive = Path.Combine(Root, "archives", $"{builder.Name}-{parityCase.Name}.tar");
        Directory.CreateDirectory(Path.GetDirectoryName(archive)!);
        await builder.SaveAsync(parityCase.Tag, archive);
        var snapshot = ImageSnapshot.FromDockerArchive(builder.Name, archive);
        // The listing beside the archive, for reading by hand with BERTH_PARITY_KEEP=1.
        await File.WriteAllLinesAsync(Path.ChangeExtension(archive, ".txt"),
            [.. snapshot.Config.Select(p => $"config {p.Key}: {p.Value}"), .. snapshot.Files.Select(f => f.ToString())]);
        return snapshot;
    }

    private Task<LoopbackServer> ServerAsync(ParityCase parityCase, string context) =>
        servers.GetOrAdd(parityCase.Name, _ => new Lazy<Task<LoopbackServer>>(() => Task.FromResult(new LoopbackServer(Path.Combine(context, "served"))))).Value;

    /// <summary>A copy of the case's fixture directory with its setup.sh run (then removed), made once.</summary>
    private Task<string> ContextAsync(ParityCase parityCase) =>
        contexts.GetOrAdd(parityCase.Name, name => new Lazy<Task<string>>(async () =>
        {
            var source = Path.Combine(Repo, "tests", "fixtures", "build", name);
            var target = Path.Combine(Root, "contexts", name);
            CopyDirectory(source, target);
            var setup = Path.Combine(target, "setup.sh");
            if (File.Exists(setup))
            {
                await Peer.RunAsync("/bin/sh", ["-c", "cd \"$1\" && sh -e setup.sh", "setup", target]);
                File.Delete(setup);
            }
            return target;
        })).Value;

    private static void CopyDirectory(string source, string target)
    {
        Directory.CreateDirectory(target);
        foreach (var file in Directory.EnumerateFiles(source))
            File.Copy(file, Path.Combine(target, Path.GetFileName(file)));
        foreach (var directory in Directory.EnumerateDirectories(source))
            CopyDirectory(directory, Path.Combine(target, Path.GetFileName(directory)));
    }

    private async Task<string> WriteBaseArchiveAsync()
    {
        var store = Path.Combine(Root, "base-store");
        var content = new FileContentStore(store);
        var manifest = await BaseImage.CreateBusyboxAsync(content);
        await new ImageIndex(store).SetAsync(BaseName, manifest);
        var archive = Path.Combine(Root, "busybox.tar");
        await using var output = File.Create(archive);
        await DockerArchive.WriteAsync(content, [new ArchiveImage(manifest, [BaseName])], output);
        return archive;
    }

    private async Task StartDockerAsync()
    {
        dockerDir = Path.Combine(Root, "dockerd");
        Directory.CreateDirectory(dockerDir);
        var host = (await Peer.RunAsync(DockerdScript, ["start", dockerDir],
            new Dictionary<string, string> { ["DOCKERD_CGROUP_PARENT"] = CgroupParent })).Trim();
        if (!host.StartsWith("DOCKER_HOST=", StringComparison.Ordinal))
            throw new InvalidOperationException($"dockerd.sh start: printed `{host}`, want DOCKER_HOST=...");
        var docker = Peer.Find("docker")!;
        var config = Path.Combine(dockerDir, "cli");
        foreach (var buildKit in new[] { false, true })
        {
            var builder = new DockerBuilder(docker, host["DOCKER_HOST=".Length..], config, buildKit);
            builders[builder.Name] = builder;
        }
    }

    /// <summary>The cgroup dockerd puts its containers and BuildKit's RUN steps under, removed at the end.</summary>
    private string CgroupParent => "/" + Path.GetFileName(Root);

    /// <summary>Removes <see cref="CgroupParent"/> in every hierarchy, deepest first (rmdir: only empty cgroups go).</summary>
    private void RemoveCgroups()
    {
        List<string> tops = [$"/sys/fs/cgroup{CgroupParent}"];
        if (Directory.Exists("/sys/fs/cgroup"))
            tops.AddRange(Directory.EnumerateDirectories("/sys/fs/cgroup").Select(h => h + CgroupParent));
        foreach (var top in tops.Where(Directory.Exists))
        {
            foreach (var cgroup in Directory.EnumerateDirectories(top, "*", SearchOption.AllDirectories).OrderByDescending(d => d.Length).Append(top))
                Directory.Delete(cgroup);
        }
    }

    private static string DockerdScript => Path.Combine(Repo, "tests", "peers", "dockerd.sh");

    public async Task DisposeAsync()
    {
        var errors = new List<string>();
        async Task Try(string what, Func<Task> step)
        {
            try
            {
                await step();
            }
            catch (Exception e)
            {
                errors.Add($"{what}: {e.Message}");
            }
        }
        foreach (var server in servers.Values.Where(s => s.IsValueCreated))
            await Try("stop the HTTP server", async () => (await server.Value).Dispose());
        if (dockerDir is not null)
            await Try("stop dockerd", () => Peer.RunAsync(DockerdScript, ["stop", dockerDir]));
        if (dockerDir is not null)
            await Try($"remove cgroup {CgroupParent}", () => { RemoveCgroups(); return Task.CompletedTask; });
        if (buildah is not null)
            await Try("remove buildah storage", buildah.RemoveAsync);
        if (berth is not null)
            await Try("remove berth root", () => { berth.Dispose(); return Task.CompletedTask; });
        // BERTH_PARITY_KEEP=1 keeps the contexts and saved archives (only those) for a look by hand.
        if (Environment.GetEnvironmentVariable("BERTH_PARITY_KEEP") == "1")
            Console.Error.WriteLine($"ParityFixture: kept {Root}");
        else
            await Try($"delete {Root}", () => { Directory.Delete(Root, recursive: true); return Task.CompletedTask; });
        if (errors.Count > 0)
            Console.Error.WriteLine($"ParityFixture cleanup:\n  {string.Join("\n  ", errors)}");
    }
}
