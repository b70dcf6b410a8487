using System.Diagnostics;
using System.Text;
using Berth.Images.Content;
using Berth.Images.Index;
using Berth.Images.Tests.Content;
using Berth.Oci;
using Berth.Oci.Image;

namespace Berth.Images.Tests.Index;

/// <summary>
/// A content store and an image index sharing a root are an OCI image layout: the real peers,
/// skopeo and umoci, read it. Skipped (passes vacuously) when a peer is not installed.
/// </summary>
public sealed class OciLayoutPeerTests : IDisposable
{
    private readonly ContentTempRoot _root = new();

    public void Dispose() => _root.Dispose();

    [Fact]
    public async Task SkopeoAndUmociReadTheStore()
    {
        if (!File.Exists("/usr/bin/skopeo") || !File.Exists("/usr/bin/umoci"))
            return;
        var manifest = await StoreTinyImageAsync();
        // Another name with the same tag: full names keep them apart for the peers.
        await new ImageIndex(_root.Path).SetAsync("localhost:5000/other:latest", manifest);

        var inspect = await RunAsync("skopeo", "inspect", "--raw", $"oci:{_root.Path}:docker.io/library/tiny:latest");
        Assert.Equal(manifest.Digest, Digest.Of(Encoding.UTF8.GetBytes(inspect)).ToString());

        var copy = Path.Combine(_root.Path, "copy");
        await RunAsync("skopeo", "copy", "--quiet", $"oci:{_root.Path}:docker.io/library/tiny:latest", $"oci:{copy}:tiny");

        var tags = await RunAsync("umoci", "ls", "--layout", _root.Path);
        Assert.Equal(
            new[] { "docker.io/library/tiny:latest", "localhost:5000/other:latest" },
            tags.Split('\n', StringSplitOptions.RemoveEmptyEntries).Order(StringComparer.Ordinal));
    }

    private async Task<Descriptor> StoreTinyImageAsync()
    {
        var store = new FileContentStore(_root.Path);
        var layer = new byte[1024]; // an empty tar: two zero blocks
        var layerDigest = Digest.Of(layer);
        var config = Encoding.UTF8.GetBytes(
            """{"architecture":"amd64","os":"linux","config":{},"rootfs":{"type":"layers","diff_ids":[""" + $"\"{layerDigest}\"" + "]}}");
        var configDigest = Digest.Of(config);
        var manifest = Encoding.UTF8.GetBytes(
            $$"""{"schemaVersion":2,"mediaType":"{{MediaTypes.OciManifest}}","config":{"mediaType":"{{MediaTypes.OciConfig}}","digest":"{{configDigest}}","size":{{config.Length}}},"layers":[{"mediaType":"{{MediaTypes.OciLayer}}","digest":"{{layerDigest}}","size":{{layer.Length}}""" + "}]}");
        foreach (var blob in new[] { layer, config, manifest })
            await BlobIngest.WriteBlobAsync(store, Guid.NewGuid().ToString(), new MemoryStream(blob), Digest.Of(blob), blob.Length);

        var descriptor = new Descriptor { MediaType = MediaTypes.OciManifest, Digest = Digest.Of(manifest).ToString(), Size = manifest.Length };
        await new ImageIndex(_root.Path).SetAsync("docker.io/library/tiny:latest", descriptor);
        return descriptor;
    }

    /// <summary>Runs a peer; skopeo through tests/peers/isolated.sh, which keeps it off the host's /var/lib.</summary>
    private static async Task<string> RunAsync(string file, params string[] arguments)
    {
        var scratch = Directory.CreateTempSubdirectory("berth-peer-").FullName;
        try
        {
            var start = file == "skopeo"
                ? new ProcessStartInfo(IsolatedScript(), [scratch, file, .. arguments])
                : new ProcessStartInfo(file, arguments);
            start.RedirectStandardOutput = start.RedirectStandardError = true;
            using var process = Process.Start(start)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();
            Assert.True(process.ExitCode == 0, $"{file} {string.Join(' ', arguments)}: exit {process.ExitCode}: {await stderr}");
            return await stdout;
        }
        finally
        {
            Directory.Delete(scratch, recursive: true);
        }
    }

    private static string IsolatedScript([System.Runtime.CompilerServices.CallerFilePath] string source = "") =>
        Path.GetFullPath(Path.Combine(Path.GetDirectoryName(source)!, "..", "..", "peers", "isolated.sh"));
}
