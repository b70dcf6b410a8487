using System.Text;
using System.Text.Json;
using Berth.Oci;

namespace Berth.IntegrationTests.Interop;

/// <summary>
/// Berth's docker and OCI archives and its store's OCI layout against the real peers from
/// Debian (podman, skopeo, umoci, docker's dockerd), both ways: the peers read what Berth wrote,
/// and Berth loads what the peers saved. The image ID (config digest) and layer DiffIDs must
/// agree everywhere, and the manifest digest wherever the peer keeps it. Needs root (podman's and
/// dockerd's storage); a test is skipped only when its peer's binary is absent.
/// </summary>
public sealed class ArchiveInteropTests(InteropFixture fixture) : IClassFixture<InteropFixture>
{
    private string DiffId => fixture.Config.RootFs.DiffIds.Single();

    [PeerFact("skopeo", "busybox")]
    public async Task SkopeoReadsBothArchivesAndTheLayout()
    {
        var skopeo = Require("skopeo");
        foreach (var source in new[] { $"docker-archive:{fixture.DockerArchivePath}", $"oci-archive:{fixture.OciArchivePath}:{InteropFixture.Name}" })
        {
            var raw = await Peer.RunAsync(skopeo, ["inspect", "--raw", source]);
            using var manifest = JsonDocument.Parse(raw);
            Assert.Equal(fixture.ConfigDigest.ToString(), manifest.RootElement.GetProperty("config").GetProperty("digest").GetString());
            var configJson = await Peer.RunAsync(skopeo, ["inspect", "--config", "--raw", source]);
            Assert.Equal(fixture.ConfigDigest, Digest.Of(Encoding.UTF8.GetBytes(configJson)));
            if (source.StartsWith("oci-archive:", StringComparison.Ordinal))
                Assert.Equal(fixture.Manifest.Digest, Digest.Of(Encoding.UTF8.GetBytes(raw)).ToString());
            using var inspect = JsonDocument.Parse(await Peer.RunAsync(skopeo, ["inspect", source]));
            Assert.Equal(DiffId, inspect.RootElement.GetProperty("Layers")[0].GetString()); // uncompressed: blob digest = DiffID
        }

        // The store itself is an OCI layout: a copy to another layout keeps the manifest digest,
        // a copy to a docker archive keeps the image ID and DiffIDs, and Berth loads both.
        var layout = Path.Combine(fixture.Root, "skopeo-layout");
        // (--preserve-digests: else skopeo compresses our uncompressed layer for an OCI destination.)
        await IsolatedAsync(skopeo, ["copy", "--quiet", "--preserve-digests", $"oci:{fixture.Store}:{InteropFixture.Name}", $"oci:{layout}:copy"]);
        var copied = await Peer.RunAsync(skopeo, ["inspect", "--raw", $"oci:{layout}:copy"]);
        Assert.Equal(fixture.Manifest.Digest, Digest.Of(Encoding.UTF8.GetBytes(copied)).ToString());

        var archive = Path.Combine(fixture.Root, "skopeo-docker.tar");
        await IsolatedAsync(skopeo, ["copy", "--quiet", $"oci:{fixture.Store}:{InteropFixture.Name}", $"docker-archive:{archive}:berth-busybox:skopeo"]);
        var (image, config) = await fixture.LoadAsync(archive, oci: false);
        Assert.Equal(fixture.ConfigDigest, image.ConfigDigest);
        Assert.Equal([DiffId], config.RootFs.DiffIds);
        Assert.Equal(["docker.io/library/berth-busybox:skopeo"], image.Names);
    }

    [PeerFact("umoci", "busybox")]
    public async Task UmociListsStatsAndUnpacksTheLayout()
    {
        var umoci = Require("umoci");
        var tags = await Peer.RunAsync(umoci, ["ls", "--layout", fixture.Store]);
        Assert.Contains(InteropFixture.Name, tags.Split('\n', StringSplitOptions.TrimEntries));
        var stat = await Peer.RunAsync(umoci, ["stat", "--json", "--image", $"{fixture.Store}:{InteropFixture.Name}"]);
        Assert.Contains("berth: busybox rootfs", stat);
        var bundle = Path.Combine(fixture.Root, "umoci-bundle");
        await Peer.RunAsync(umoci, ["unpack", "--image", $"{fixture.Store}:{InteropFixture.Name}", bundle]);
        var rootfs = Path.Combine(bundle, "rootfs");
        Assert.Equal("/bin/busybox", new FileInfo(Path.Combine(rootfs, "bin", "sh")).LinkTarget);
        Assert.Equal(new FileInfo("/bin/busybox").Length, new FileInfo(Path.Combine(rootfs, "bin", "busybox")).Length);
        Assert.Contains("nobody:x:65534", File.ReadAllText(Path.Combine(rootfs, "etc", "passwd")));
        Assert.Equal(UnixFileMode.StickyBit, File.GetUnixFileMode(Path.Combine(rootfs, "tmp")) & UnixFileMode.StickyBit);
    }

    [PeerFact("podman", "busybox")]
    public async Task PodmanLoadsAndSavesBothFormats()
    {
        var podman = Require("podman");
        var storage = Path.Combine(fixture.Root, "podman");
        string[] global = ["--root", Path.Combine(storage, "r"), "--runroot", Path.Combine(storage, "rr"), "--tmpdir", Path.Combine(storage, "tmp"), "--storage-driver", "vfs"];
        Task<string> Podman(params string[] args) => IsolatedAsync(podman, [.. global, .. args]);

        foreach (var (archive, name) in new[] { (fixture.DockerArchivePath, "docker.io/library/berth-busybox:latest"), (fixture.OciArchivePath, "docker.io/library/berth-busybox:latest") })
        {
            await Podman("load", "-q", "-i", archive);
            var inspect = await Podman("image", "inspect", "--format", "{{.Id}} {{json .RootFS.Layers}}", name);
            Assert.Equal($"{fixture.ConfigDigest.Encoded} [\"{DiffId}\"]", inspect.Trim());
        }

        foreach (var (format, oci) in new[] { ("docker-archive", false), ("oci-archive", true) })
        {
            var saved = Path.Combine(fixture.Root, $"podman-{format}.tar");
            await Podman("save", "-q", "--format", format, "-o", saved, InteropFixture.Name);
            var (image, config) = await fixture.LoadAsync(saved, oci);
            Assert.Equal(fixture.ConfigDigest, image.ConfigDigest);
            Assert.Equal([DiffId], config.RootFs.DiffIds);
        }
        await Podman("rmi", "-a", "-f");
    }

    [PeerFact("docker", "dockerd", "busybox")]
    public async Task DockerLoadsAndSaves()
    {
        var docker = Require("docker");
        var script = Path.Combine(RepoRoot(), "tests", "peers", "dockerd.sh");
        var dir = Path.Combine(fixture.Root, "dockerd");
        Directory.CreateDirectory(dir);
        var host = (await Peer.RunAsync(script, ["start", dir])).Trim();
        Assert.StartsWith("DOCKER_HOST=", host);
        try
        {
            var env = new Dictionary<string, string> { ["DOCKER_HOST"] = host["DOCKER_HOST=".Length..], ["DOCKER_CONFIG"] = Path.Combine(dir, "cli") };
            Task<string> Docker(params string[] args) => Peer.RunAsync(docker, args, env);
            await Docker("load", "-q", "-i", fixture.DockerArchivePath);
            var inspect = await Docker("image", "inspect", "--format", "{{.Id}} {{json .RootFS.Layers}} {{json .Config.Cmd}}", "berth-busybox:latest");
            Assert.Equal($"{fixture.ConfigDigest} [\"{DiffId}\"] [\"sh\"]", inspect.Trim());

            var saved = Path.Combine(fixture.Root, "docker-save.tar");
            await Docker("save", "-o", saved, "berth-busybox:latest");
            var (image, config) = await fixture.LoadAsync(saved, oci: false);
            Assert.Equal(fixture.ConfigDigest, image.ConfigDigest);
            Assert.Equal([DiffId], config.RootFs.DiffIds);
            Assert.Equal([InteropFixture.Name], image.Names);
            await Docker("rmi", "-f", "berth-busybox:latest");
        }
        finally
        {
            await Peer.RunAsync(script, ["stop", dir]);
        }
    }

    /// <summary>podman and skopeo with their own containers.conf, kept off the host's /var/lib (<see cref="Peer.RunIsolatedAsync"/>).</summary>
    private Task<string> IsolatedAsync(string file, string[] args)
    {
        var conf = Path.Combine(fixture.Root, "containers.conf");
        if (!File.Exists(conf))
            File.WriteAllText(conf, "[containers]\ndefault_ulimits = []\n[engine]\nevents_logger = \"file\"\n" +
                $"events_logfile_path = \"{Path.Combine(fixture.Root, "podman-events.log")}\"\ncgroup_manager = \"cgroupfs\"\n");
        return Peer.RunIsolatedAsync(file, args, fixture.Root, new Dictionary<string, string> { ["CONTAINERS_CONF"] = conf });
    }

    private static string Require(string peer) => Peer.Find(peer) ?? throw new InvalidOperationException($"{peer}: checked by PeerFact");

    /// <summary>The repository root, from this source file's path as the compiler saw it (the tests may run from any artifacts path).</summary>
    private static string RepoRoot([System.Runtime.CompilerServices.CallerFilePath] string source = "") =>
        Path.GetFullPath(Path.Combine(Path.GetDirectoryName(source)!, "..", "..", ".."));
}
