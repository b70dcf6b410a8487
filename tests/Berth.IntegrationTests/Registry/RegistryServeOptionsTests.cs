using System.Net;
using System.Security.Cryptography;
using Berth.IntegrationTests.Interop;

namespace Berth.IntegrationTests.Registry;

/// <summary>serve's own options end to end: background GC, and HTTPS with a PEM certificate.</summary>
public sealed class RegistryServeOptionsTests
{
    [RegistryServeFact]
    public async Task BackgroundGcSweepsOldOrphansAndKeepsImages()
    {
        using var root = new RegistryRoot();
        using var registry = await RegistryProcess.StartAsync(root.Storage, "--gc-interval", "500ms", "--gc-grace", "10m");
        using var client = new RegistryClient(registry.Url);
        var orphan = await client.PushBlobAsync("gc/background", RandomNumberGenerator.GetBytes(5000));
        var (manifest, digest) = await client.PushImageAsync("gc/background", "v1", "kept");
        foreach (var file in root.BlobFiles())
            File.SetLastWriteTimeUtc(file, DateTime.UtcNow.AddHours(-2));
        var young = await client.PushBlobAsync("gc/background", RandomNumberGenerator.GetBytes(5000));
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (root.BlobFile(orphan) is not null && DateTime.UtcNow < deadline)
            await Task.Delay(200);
        Assert.Null(root.BlobFile(orphan));
        Assert.NotNull(root.BlobFile(young)); // unreferenced, but inside the grace period
        Assert.Equal(manifest, await client.Http.GetByteArrayAsync($"/v2/gc/background/manifests/{digest}"));
        using var gone = await client.SendAsync(HttpMethod.Head, $"/v2/gc/background/blobs/{orphan}");
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
    }

    [RegistryServeFact("openssl")]
    public async Task ServesHttpsWithAPemCertificate()
    {
        using var root = new RegistryRoot();
        var cert = Path.Combine(root.Path, "cert.pem");
        var key = Path.Combine(root.Path, "key.pem");
        await Peer.RunAsync(Peer.Find("openssl")!, ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1",
            "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", key, "-out", cert]);
        using var registry = await RegistryProcess.StartAsync(root.Storage, "--tls-cert", cert, "--tls-key", key);
        using var handler = new HttpClientHandler { ServerCertificateCustomValidationCallback = (_, c, _, _) => c?.Subject == "CN=127.0.0.1" };
        using var https = new HttpClient(handler) { BaseAddress = new Uri($"https://{registry.HostPort}") };
        var blob = RandomNumberGenerator.GetBytes(200_000);
        var digest = RegistryClient.DigestOf(blob);
        using var push = await https.PostAsync($"/v2/tls/r/blobs/uploads/?digest={digest}", new ByteArrayContent(blob));
        Assert.Equal(HttpStatusCode.Created, push.StatusCode);
        Assert.Equal(blob, await https.GetByteArrayAsync($"/v2/tls/r/blobs/{digest}"));
    }
}
