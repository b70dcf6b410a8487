using System.Diagnostics;
using System.Formats.Tar;
using System.IO.Compression;
using System.Text;
using System.Text.Json.Nodes;
using Berth.Oci.Image;

namespace Berth.Oci.Tests;

/// <summary>
/// Documents Berth writes, read by a real peer (skopeo), and documents skopeo writes, read by
/// Berth. Passes vacuously where skopeo is not installed.
/// </summary>
public sealed class ImagePeerTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("berth-oci-peer-");

    public void Dispose() => _dir.Delete(recursive: true);

    private static string? Find(string tool) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':')
            .Select(dir => Path.Combine(dir, tool))
            .FirstOrDefault(File.Exists);

    private string WriteBlob(string layout, byte[] content)
    {
        var digest = Digest.Of(content);
        var path = Path.Combine(layout, "blobs", digest.Algorithm, digest.Encoded);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, content);
        return digest.ToString();
    }

    /// <summary>An OCI layout holding one image tagged v1; returns the layout and the manifest's digest.</summary>
    private (string Layout, string ManifestDigest) WriteLayout()
    {
        var layout = Path.Combine(_dir.FullName, "layout");
        Directory.CreateDirectory(layout);
        File.WriteAllText(Path.Combine(layout, "oci-layout"), """{"imageLayoutVersion":"1.0.0"}""");

        var tar = new MemoryStream();
        using (var writer = new TarWriter(tar, TarEntryFormat.Pax, leaveOpen: true))
        {
            var entry = new PaxTarEntry(TarEntryType.RegularFile, "hello.txt") { DataStream = new MemoryStream("hello\n"u8.ToArray()) };
            writer.WriteEntry(entry);
        }
        var gz = new MemoryStream();
        using (var gzip = new GZipStream(gz, CompressionLevel.Fastest, leaveOpen: true))
            gzip.Write(tar.ToArray());
        var layer = gz.ToArray();
        WriteBlob(layout, layer);

        var config = ImageJson.Serialize(new ImageConfig
        {
            Created = "2024-01-02T03:04:05Z",
            Architecture = "amd64",
            Os = "linux",
            Config = new ContainerConfig
            {
                Env = ["PATH=/bin"],
                Cmd = ["/bin/sh", "-c", "echo hi"],
                ExposedPorts = ["80/tcp"],
                Volumes = ["/data"],
                WorkingDir = "/srv",
                Labels = new Dictionary<string, string> { ["a"] = "b" },
            },
            RootFs = new RootFs { DiffIds = [Digest.Of(tar.ToArray()).ToString()] },
            History = [new History { Created = "2024-01-02T03:04:05Z", CreatedBy = "berth test" }],
        });
        WriteBlob(layout, config);

        var manifest = ImageJson.Serialize(new Manifest
        {
            MediaType = MediaTypes.OciManifest,
            Config = Descriptor.Of(MediaTypes.OciConfig, config),
            Layers = [Descriptor.Of(MediaTypes.OciLayerGzip, layer)],
            Annotations = new Dictionary<string, string> { ["org.opencontainers.image.title"] = "peer" },
        });
        var manifestDigest = WriteBlob(layout, manifest);

        var index = ImageJson.Serialize(new Berth.Oci.Image.Index
        {
            MediaType = MediaTypes.OciIndex,
            Manifests =
            [
                Descriptor.Of(MediaTypes.OciManifest, manifest) with
                {
                    Annotations = new Dictionary<string, string> { ["org.opencontainers.image.ref.name"] = "v1" },
                    Platform = new Platform { Architecture = "amd64", Os = "linux" },
                },
            ],
        });
        File.WriteAllBytes(Path.Combine(layout, "index.json"), index);
        return (layout, manifestDigest);
    }

    /// <summary>Runs a peer; skopeo through tests/peers/isolated.sh, which keeps it off the host's /var/lib.</summary>
    private static string Run(string tool, params string[] args)
    {
        var scratch = Directory.CreateTempSubdirectory("berth-peer-").FullName;
        try
        {
            var start = new ProcessStartInfo(Path.GetFileName(tool) == "skopeo" ? IsolatedScript() : tool) { RedirectStandardOutput = true, RedirectStandardError = true };
            if (Path.GetFileName(tool) == "skopeo")
            {
                start.ArgumentList.Add(scratch);
                start.ArgumentList.Add(tool);
            }
            foreach (var arg in args)
                start.ArgumentList.Add(arg);
            using var process = Process.Start(start)!;
            var stderr = process.StandardError.ReadToEndAsync();
            var stdout = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            Assert.True(process.ExitCode == 0, $"{tool} {string.Join(' ', args)}: exit {process.ExitCode}: {stderr.Result}");
            return stdout;
        }
        finally
        {
            Directory.Delete(scratch, recursive: true);
        }
    }

    private static string IsolatedScript([System.Runtime.CompilerServices.CallerFilePath] string source = "") =>
        Path.GetFullPath(Path.Combine(Path.GetDirectoryName(source)!, "..", "peers", "isolated.sh"));

    [Fact]
    public void Skopeo_reads_the_layout_Berth_writes()
    {
        var skopeo = Find("skopeo");
        if (skopeo is null)
            return;
        var (layout, manifestDigest) = WriteLayout();

        var inspect = JsonNode.Parse(Run(skopeo, "inspect", "--insecure-policy", $"oci:{layout}:v1"))!;
        Assert.Equal(manifestDigest, (string?)inspect["Digest"]);
        Assert.Equal("amd64", (string?)inspect["Architecture"]);

        var config = ImageJson.ParseConfig(Encoding.UTF8.GetBytes(Run(skopeo, "inspect", "--config", $"oci:{layout}:v1")));
        Assert.Equal(["/bin/sh", "-c", "echo hi"], config.Config!.Cmd!);
        Assert.Equal(["80/tcp"], config.Config.ExposedPorts!);
        Assert.Equal(["/data"], config.Config.Volumes!);
        Assert.Equal("/srv", config.Config.WorkingDir);
    }

    [Fact]
    public void Berth_reads_what_skopeo_writes_in_both_formats()
    {
        var skopeo = Find("skopeo");
        if (skopeo is null)
            return;
        var (layout, _) = WriteLayout();

        var docker = Path.Combine(_dir.FullName, "docker");
        Run(skopeo, "copy", "--insecure-policy", "--format", "v2s2", $"oci:{layout}:v1", $"dir:{docker}");
        var manifest = ImageJson.ParseManifest(File.ReadAllBytes(Path.Combine(docker, "manifest.json")));
        Assert.Equal(MediaTypes.DockerManifest, manifest.MediaType);
        Assert.Equal(MediaTypes.DockerConfig, manifest.Config.MediaType);
        Assert.Equal(LayerCompression.Gzip, MediaTypes.Compression(manifest.Layers.Single().MediaType));
        var config = ImageJson.ParseConfig(File.ReadAllBytes(Path.Combine(docker, Digest.Parse(manifest.Config.Digest).Encoded)));
        ImageConsistency.Check(manifest, config);
        Assert.Equal(["80/tcp"], config.Config!.ExposedPorts!);

        var oci = Path.Combine(_dir.FullName, "oci");
        Run(skopeo, "copy", "--insecure-policy", $"dir:{docker}", $"oci:{oci}:again");
        var index = ImageJson.ParseIndex(File.ReadAllBytes(Path.Combine(oci, "index.json")));
        Assert.Equal("again", index.Manifests.Single().Annotations!["org.opencontainers.image.ref.name"]);
        var ociManifest = ImageJson.ParseManifest(File.ReadAllBytes(Path.Combine(oci, "blobs", "sha256", Digest.Parse(index.Manifests[0].Digest).Encoded)));
        Assert.Equal(MediaTypes.OciManifest, ociManifest.MediaType);
    }

    [Fact]
    public void Umoci_reads_the_layout_Berth_writes()
    {
        var umoci = Find("umoci");
        if (umoci is null)
            return;
        var (layout, _) = WriteLayout();
        var stat = JsonNode.Parse(Run(umoci, "stat", "--json", "--image", $"{layout}:v1"))!;
        var history = stat["history"]!.AsArray();
        Assert.Equal("berth test", (string?)history.Single()!["created_by"]);
        Assert.Contains("v1", Run(umoci, "ls", "--layout", layout));
    }
}
