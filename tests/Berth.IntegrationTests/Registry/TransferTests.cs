using System.Diagnostics;
using System.Formats.Tar;
using System.Security.Cryptography;
using Xunit.Abstractions;

namespace Berth.IntegrationTests.Registry;

/// <summary>
/// The finer points of transfers, through a counting proxy in front of docker-registry: a pull
/// or push killed with SIGKILL mid-layer resumes without re-sending finished bytes; a second
/// repository gets its blobs by cross-repository mount; a lying registry is caught with nothing
/// stored.
/// </summary>
public sealed class TransferTests(ITestOutputHelper output)
{
    private const int LayerBytes = 24 << 20;

    /// <summary>An image whose one layer is <see cref="LayerBytes"/> of random bytes (which no compression shrinks).</summary>
    private static string ImportBig(RegistryCli cli, string root, string name)
    {
        var tar = Path.Combine(cli.Home, $"big-{Guid.NewGuid():N}.tar");
        using (var file = File.Create(tar))
        using (var writer = new TarWriter(file))
        {
            var data = new byte[LayerBytes];
            RandomNumberGenerator.Fill(data);
            writer.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, "big.bin") { DataStream = new MemoryStream(data) });
        }
        cli.Ok(root, "import", tar, name);
        File.Delete(tar);
        return name;
    }

    private void KillWhen(Process process, Func<bool> condition, string what)
    {
        var started = DateTime.UtcNow;
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (!condition())
        {
            if (process.HasExited)
                Assert.Fail($"berth ended before {what}: {process.StandardError.ReadToEnd()}");
            Assert.True(DateTime.UtcNow < deadline, $"never reached: {what}");
            Thread.Sleep(20);
        }
        output.WriteLine($"{what}: after {(DateTime.UtcNow - started).TotalMilliseconds:0} ms, killing pid {process.Id}");
        process.Kill(); // SIGKILL, this process only
        process.WaitForExit();
    }

    [RegistryFact]
    public void AKilledPullResumesTheLayerWithARange()
    {
        using var registry = new RegistryServer();
        using var proxy = new RegistryProxy(registry.Host);
        using var cli = new RegistryCli();
        var source = cli.BootstrappedRoot();
        var name = ImportBig(cli, source, $"{proxy.Host}/resume/pull:1");
        cli.Ok(source, "push", name);

        var target = cli.NewRoot();
        proxy.ResetCounts();
        proxy.DelayMs = 15;
        using (var first = cli.Start(target, "pull", name))
            KillWhen(first, () => proxy.BlobBytesDown > LayerBytes / 2, "half the layer downloaded");
        var before = proxy.BlobBytesDown;
        Assert.True(Directory.EnumerateDirectories(Path.Combine(target, "images", "ingest")).Any(),
            $"no ingest after {before} bytes: " + string.Join("\n", Directory.EnumerateFileSystemEntries(target, "*", SearchOption.AllDirectories)));
        Assert.Empty(cli.Ok(target, "images", "-q").Trim());

        proxy.DelayMs = 0;
        proxy.ResetCounts();
        var second = cli.Run(target, "pull", name);
        Assert.True(second.ExitCode == 0, second.ToString());
        var after = proxy.BlobBytesDown;
        output.WriteLine($"pull: killed after {before} bytes; the resumed pull fetched {after} of {LayerBytes} layer bytes");
        // The resumed pull fetched only what the first had not (give or take what was in flight).
        Assert.True(after < LayerBytes - (LayerBytes / 2) + (2 << 20), $"resumed pull fetched {after} bytes");
        Assert.True(before + after >= LayerBytes);
        Assert.Empty(Directory.EnumerateDirectories(Path.Combine(target, "images", "ingest")));
        Assert.Equal(cli.Ok(source, "image", "inspect", "--format", "{{.Id}}", name), cli.Ok(target, "image", "inspect", "--format", "{{.Id}}", name));
    }

    [RegistryFact]
    public void AKilledPushContinuesItsUploadSession()
    {
        using var registry = new RegistryServer();
        using var proxy = new RegistryProxy(registry.Host);
        using var cli = new RegistryCli();
        cli.Environment["BERTH_PUSH_CHUNK_SIZE"] = (1 << 20).ToString();
        var source = cli.BootstrappedRoot();
        var name = ImportBig(cli, source, $"{proxy.Host}/resume/push:1");

        proxy.DelayMs = 10;
        // The line is cut as berth is killed: the chunk in flight (already in the kernel's socket
        // buffers, so it would otherwise arrive whole) never reaches the registry.
        using (var first = cli.Start(source, "push", name))
            KillWhen(first, () => (proxy.DropUploads = proxy.UploadBytesUp > LayerBytes / 2), "half the layer uploaded");
        Thread.Sleep(300);
        proxy.DropUploads = false;
        var before = proxy.UploadBytesUp;
        Assert.NotEmpty(Directory.EnumerateFiles(Path.Combine(source, "distribution", "uploads")));

        proxy.DelayMs = 0;
        proxy.ResetCounts();
        var second = cli.Run(source, "push", name);
        Assert.True(second.ExitCode == 0, second.ToString());
        var after = proxy.UploadBytesUp;
        output.WriteLine($"push: killed after {before} bytes sent; the resumed push sent {after} of {LayerBytes} layer bytes");
        Assert.True(after < LayerBytes - (LayerBytes / 2) + (3 << 20), $"resumed push sent {after} bytes; registry log:\n" +
            string.Join("\n", registry.LogText().Split('\n').Where(l => l.StartsWith("127.0.0.1", StringComparison.Ordinal) && l.Contains("uploads", StringComparison.Ordinal)).Select(l => l.Contains("GET") ? l : l.Length > 140 ? l[..140] : l)));
        Assert.Empty(Directory.EnumerateFiles(Path.Combine(source, "distribution", "uploads")));

        // What the registry assembled is the image: a fresh pull gets the same id.
        var fresh = cli.NewRoot();
        cli.Ok(fresh, "pull", name);
        Assert.Equal(cli.Ok(source, "image", "inspect", "--format", "{{.Id}}", name), cli.Ok(fresh, "image", "inspect", "--format", "{{.Id}}", name));
    }

    [RegistryFact]
    public void APushWhoseSessionTheRegistryRefusesStartsTheBlobOver()
    {
        using var registry = new RegistryServer();
        using var proxy = new RegistryProxy(registry.Host);
        using var cli = new RegistryCli();
        cli.Environment["BERTH_PUSH_CHUNK_SIZE"] = (1 << 20).ToString();
        var source = cli.BootstrappedRoot();
        var name = ImportBig(cli, source, $"{proxy.Host}/resume/refused:1");
        // No line cut this time: the chunk in flight at the kill reaches the registry, which then
        // refuses the state berth kept (distribution 2.8's BLOB_UPLOAD_INVALID).
        proxy.DelayMs = 10;
        using (var first = cli.Start(source, "push", name))
            KillWhen(first, () => proxy.UploadBytesUp > LayerBytes / 2, "half the layer uploaded");
        Thread.Sleep(300);
        proxy.DelayMs = 0;
        proxy.ResetCounts();
        var second = cli.Run(source, "push", name);
        Assert.True(second.ExitCode == 0, second.ToString());
        output.WriteLine($"refused session: the second push sent {proxy.UploadBytesUp} of {LayerBytes} layer bytes");
        Assert.Empty(Directory.EnumerateFiles(Path.Combine(source, "distribution", "uploads")));
        var fresh = cli.NewRoot();
        cli.Ok(fresh, "pull", name);
        Assert.Equal(cli.Ok(source, "image", "inspect", "--format", "{{.Id}}", name), cli.Ok(fresh, "image", "inspect", "--format", "{{.Id}}", name));
    }

    [RegistryFact]
    public void ASecondRepositoryGetsItsBlobsByMount()
    {
        using var registry = new RegistryServer();
        using var proxy = new RegistryProxy(registry.Host);
        using var cli = new RegistryCli();
        var source = cli.BootstrappedRoot();
        cli.Ok(source, "tag", "busybox", $"{proxy.Host}/team/a:1");
        cli.Ok(source, "tag", "busybox", $"{proxy.Host}/team/b:1");
        cli.Ok(source, "push", $"{proxy.Host}/team/a:1");
        proxy.ResetCounts();
        var second = cli.Ok(source, "push", $"{proxy.Host}/team/b:1");
        Assert.Contains(": Mounted from team/a", second);
        Assert.Equal(0, proxy.UploadBytesUp);
    }

    [RegistryFact]
    public void ALyingRegistryIsCaughtWithNothingStored()
    {
        using var registry = new RegistryServer();
        using var proxy = new RegistryProxy(registry.Host);
        using var cli = new RegistryCli();
        var source = cli.BootstrappedRoot();
        var name = $"{proxy.Host}/liar/busybox:1";
        cli.Ok(source, "tag", "busybox", name);
        cli.Ok(source, "push", name);
        var layer = cli.Ok(source, "image", "inspect", "--format", "{{index .RootFS.Layers 0}}", name).Trim();
        Assert.StartsWith("sha256:", layer);

        proxy.CorruptBlobAt = 1000;
        var root = cli.NewRoot();
        var corrupt = cli.Run(root, "pull", name);
        Assert.Equal(1, corrupt.ExitCode);
        Assert.Contains("the registry's content does not match its digest", corrupt.Stderr);
        Assert.Empty(cli.Ok(root, "images", "-a", "-q").Trim());
        var ingest = Path.Combine(root, "images", "ingest");
        Assert.True(!Directory.Exists(ingest) || !Directory.EnumerateDirectories(ingest).Any());

        proxy.CorruptBlobAt = null;
        proxy.LieManifestDigest = "sha256:" + new string('0', 64);
        var root2 = cli.NewRoot();
        var lying = cli.Run(root2, "pull", name);
        Assert.Equal(1, lying.ExitCode);
        Assert.Contains($"Docker-Content-Digest says sha256:{new string('0', 64)}", lying.Stderr);
        var blobs = Path.Combine(root2, "images", "blobs", "sha256");
        Assert.True(!Directory.Exists(blobs) || !Directory.EnumerateFiles(blobs).Any());
    }
}
