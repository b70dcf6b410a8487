using System.Text.Json.Nodes;
using Berth.IntegrationTests.Interop;

namespace Berth.IntegrationTests.Registry;

/// <summary>
/// Real clients against berth registry serve: skopeo, podman and docker push berth's own busybox
/// image (InteropFixture's archives) and pull it back; the manifest digest is the same at both ends
/// and the image the peer pulls has the config berth wrote. Each peer's storage is a temp dir.
/// </summary>
public sealed class RegistryPeerTests(InteropFixture fixture) : IClassFixture<InteropFixture>
{
    private static async Task<string> ManifestDigestAsync(RegistryClient client, string repository, string tag)
    {
        using var request = new HttpRequestMessage(HttpMethod.Head, $"/v2/{repository}/manifests/{tag}");
        request.Headers.Accept.ParseAdd("application/vnd.oci.image.manifest.v1+json");
        request.Headers.Accept.ParseAdd("application/vnd.docker.distribution.manifest.v2+json");
        using var response = await client.Http.SendAsync(request);
        Assert.True(response.IsSuccessStatusCode, $"HEAD {repository}:{tag}: {(int)response.StatusCode}");
        return response.Headers.GetValues("Docker-Content-Digest").Single();
    }

    [RegistryServeFact("skopeo", "busybox")]
    public async Task SkopeoCopiesToAndFromBerthRegistry()
    {
        using var root = new RegistryRoot();
        using var registry = await RegistryProcess.StartAsync(root.Storage);
        using var client = new RegistryClient(registry.Url);
        var skopeo = Peer.Find("skopeo")!;
        foreach (var (source, repository, format) in new[] { ("oci-archive:" + fixture.OciArchivePath, "peer/skopeo-oci", "oci"), ("docker-archive:" + fixture.DockerArchivePath, "peer/skopeo-docker", "v2s2") })
        {
            var target = $"docker://{registry.HostPort}/{repository}:v1";
            var digestFile = Path.Combine(root.Path, repository.Replace('/', '-') + ".digest");
            await Isolated(root, skopeo, ["copy", "-q", "--format", format, "--dest-tls-verify=false", "--digestfile", digestFile, source, target]);
            var pushed = File.ReadAllText(digestFile).Trim();
            Assert.Equal(pushed, await ManifestDigestAsync(client, repository, "v1"));
            var raw = await Isolated(root, skopeo, ["inspect", "--tls-verify=false", "--raw", target]);
            Assert.Equal(pushed, RegistryClient.DigestOf(System.Text.Encoding.UTF8.GetBytes(raw)));
            var config = JsonNode.Parse(raw)!["config"]!["digest"]!.GetValue<string>();
            Assert.Equal(fixture.ConfigDigest.ToString(), config);

            var layout = Path.Combine(root.Path, repository.Replace('/', '-') + "-layout");
            await Isolated(root, skopeo, ["copy", "-q", "--src-tls-verify=false", target, $"oci:{layout}:v1"]);
            var index = JsonNode.Parse(File.ReadAllText(Path.Combine(layout, "index.json")))!;
            if (format == "oci")
                Assert.Equal(pushed, index["manifests"]![0]!["digest"]!.GetValue<string>());
            Assert.True(File.Exists(Path.Combine(layout, "blobs", "sha256", config["sha256:".Length..])));
        }
        // The same layer pushed twice went into blobs/ once.
        Assert.Equal(root.BlobFiles().Count(), root.BlobFiles().Select(Path.GetFileName).Distinct().Count());
    }

    [RegistryServeFact("podman", "busybox")]
    public async Task PodmanPushesAndPulls()
    {
        using var root = new RegistryRoot();
        using var registry = await RegistryProcess.StartAsync(root.Storage);
        using var client = new RegistryClient(registry.Url);
        var podman = Peer.Find("podman")!;
        var storage = Path.Combine(root.Path, "podman");
        string[] global = ["--root", Path.Combine(storage, "r"), "--runroot", Path.Combine(storage, "rr"), "--tmpdir", Path.Combine(storage, "tmp"), "--storage-driver", "vfs"];
        Task<string> Podman(params string[] args) => Isolated(root, podman, [.. global, .. args]);
        var image = $"{registry.HostPort}/peer/podman:v1";
        try
        {
            await Podman("load", "-q", "-i", fixture.OciArchivePath);
            await Podman("tag", InteropFixture.Name, image);
            var digestFile = Path.Combine(root.Path, "podman.digest");
            await Podman("push", "-q", "--tls-verify=false", "--digestfile", digestFile, image);
            var pushed = File.ReadAllText(digestFile).Trim();
            Assert.Equal(pushed, await ManifestDigestAsync(client, "peer/podman", "v1"));
            await Podman("rmi", "-a", "-f");
            await Podman("pull", "-q", "--tls-verify=false", image);
            var inspect = await Podman("image", "inspect", "--format", "{{.Id}} {{.Digest}}", image);
            Assert.Equal($"{fixture.ConfigDigest.Encoded} {pushed}", inspect.Trim());
        }
        finally
        {
            try
            {
                await Podman("rmi", "-a", "-f");
            }
            catch (Exception)
            {
                // Best effort: the storage is under the temp root, removed with it.
            }
        }
    }

    [RegistryServeFact("docker", "dockerd", "busybox")]
    public async Task DockerPushesAndPullsThroughAPrivateDockerd()
    {
        using var root = new RegistryRoot();
        using var registry = await RegistryProcess.StartAsync(root.Storage);
        using var client = new RegistryClient(registry.Url);
        var docker = Peer.Find("docker")!;
        var script = Path.Combine(RepoRoot(), "tests", "peers", "dockerd.sh");
        var dir = Path.Combine(root.Path, "dockerd");
        Directory.CreateDirectory(dir);
        var host = (await Peer.RunAsync(script, ["start", dir])).Trim();
        try
        {
            var env = new Dictionary<string, string> { ["DOCKER_HOST"] = host["DOCKER_HOST=".Length..], ["DOCKER_CONFIG"] = Path.Combine(dir, "cli") };
            Task<string> Docker(params string[] args) => Peer.RunAsync(docker, args, env);
            var image = $"{registry.HostPort}/peer/docker:v1";
            await Docker("load", "-q", "-i", fixture.DockerArchivePath);
            await Docker("tag", "berth-busybox:latest", image);
            var output = await Docker("push", image);
            var line = output.Split('\n').Single(l => l.Contains("digest: sha256:", StringComparison.Ordinal));
            var pushed = line[line.IndexOf("sha256:", StringComparison.Ordinal)..].Split(' ')[0];
            Assert.Equal(pushed, await ManifestDigestAsync(client, "peer/docker", "v1"));
            await Docker("rmi", "-f", image, "berth-busybox:latest");
            await Docker("pull", "-q", image);
            var inspect = await Docker("image", "inspect", "--format", "{{.Id}} {{index .RepoDigests 0}}", image);
            Assert.Equal($"{fixture.ConfigDigest} {registry.HostPort}/peer/docker@{pushed}", inspect.Trim());
            await Docker("rmi", "-f", image);
        }
        finally
        {
            await Peer.RunAsync(script, ["stop", dir]);
        }
    }

    /// <summary>
    /// skopeo and podman write a blob-info cache to /var/lib/containers/cache whatever their flags say:
    /// they run over a private overlay on /var/lib (<see cref="Peer.RunIsolatedAsync"/>), so the machine's is never touched.
    /// </summary>
    private static async Task<string> Isolated(RegistryRoot root, string file, string[] args)
    {
        var conf = Path.Combine(root.Path, "containers.conf");
        if (!File.Exists(conf))
            File.WriteAllText(conf, "[containers]\ndefault_ulimits = []\n[engine]\nevents_logger = \"file\"\n" +
                $"events_logfile_path = \"{Path.Combine(root.Path, "podman-events.log")}\"\ncgroup_manager = \"cgroupfs\"\n");
        var auth = Path.Combine(root.Path, "auth.json");
        if (!File.Exists(auth))
            File.WriteAllText(auth, "{}");
        var environment = new Dictionary<string, string> { ["CONTAINERS_CONF"] = conf, ["REGISTRY_AUTH_FILE"] = auth };
        return await Peer.RunIsolatedAsync(file, args, root.Path, environment);
    }

    private static string RepoRoot([System.Runtime.CompilerServices.CallerFilePath] string source = "") =>
        Path.GetFullPath(Path.Combine(Path.GetDirectoryName(source)!, "..", "..", ".."));
}
