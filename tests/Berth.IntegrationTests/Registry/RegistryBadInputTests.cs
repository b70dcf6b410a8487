using System.Net;
using System.Text;

namespace Berth.IntegrationTests.Registry;

/// <summary>Bad input gets the spec's error code and leaves nothing stored.</summary>
public sealed class RegistryBadInputTests
{
    [RegistryServeFact]
    public async Task BlobWhoseContentDoesNotMatchItsDigestIsRefused()
    {
        using var root = new RegistryRoot();
        using var registry = await RegistryProcess.StartAsync(root.Storage);
        using var client = new RegistryClient(registry.Url);
        var claimed = RegistryClient.DigestOf(Encoding.UTF8.GetBytes("what the client claims"));
        using var monolithic = await client.SendAsync(HttpMethod.Post, $"/v2/bad/digest/blobs/uploads/?digest={claimed}", Encoding.UTF8.GetBytes("what it sends"));
        Assert.Equal(HttpStatusCode.BadRequest, monolithic.StatusCode);
        Assert.Equal("DIGEST_INVALID", await RegistryClient.CodeAsync(monolithic));

        using var start = await client.SendAsync(HttpMethod.Post, "/v2/bad/digest/blobs/uploads/");
        using var put = await client.SendAsync(HttpMethod.Put, start.Headers.Location + "?digest=" + claimed, Encoding.UTF8.GetBytes("other bytes"));
        Assert.Equal("DIGEST_INVALID", await RegistryClient.CodeAsync(put));
        using var malformed = await client.SendAsync(HttpMethod.Post, "/v2/bad/digest/blobs/uploads/?digest=sha256:123", Encoding.UTF8.GetBytes("x"));
        Assert.Equal("DIGEST_INVALID", await RegistryClient.CodeAsync(malformed));

        Assert.Empty(root.BlobFiles());
        Assert.Empty(root.Uploads());
        using var head = await client.SendAsync(HttpMethod.Head, $"/v2/bad/digest/blobs/{claimed}");
        Assert.Equal(HttpStatusCode.NotFound, head.StatusCode);
    }

    [RegistryServeFact]
    public async Task OversizedManifestAndManifestWithMissingBlobsAreRefused()
    {
        using var root = new RegistryRoot();
        using var registry = await RegistryProcess.StartAsync(root.Storage);
        using var client = new RegistryClient(registry.Url);
        var config = await client.PushBlobAsync("bad/manifest", Encoding.UTF8.GetBytes("{}"));
        var missing = RegistryClient.DigestOf(Encoding.UTF8.GetBytes("never pushed"));

        var padded = Encoding.UTF8.GetString(RegistryClient.Manifest(config, 2, missing, 12)).TrimEnd('}') +
                     ",\"annotations\":{\"pad\":\"" + new string('x', 4 << 20) + "\"}}";
        using var big = await client.SendAsync(HttpMethod.Put, "/v2/bad/manifest/manifests/big", Encoding.UTF8.GetBytes(padded), "application/vnd.oci.image.manifest.v1+json");
        Assert.Equal(HttpStatusCode.BadRequest, big.StatusCode);
        Assert.Equal("MANIFEST_INVALID", await RegistryClient.CodeAsync(big));

        var manifest = RegistryClient.Manifest(config, 2, missing, 12);
        using var dangling = await client.SendAsync(HttpMethod.Put, "/v2/bad/manifest/manifests/dangling", manifest, "application/vnd.oci.image.manifest.v1+json");
        Assert.Equal(HttpStatusCode.NotFound, dangling.StatusCode);
        Assert.Equal("MANIFEST_BLOB_UNKNOWN", await RegistryClient.CodeAsync(dangling));
        Assert.Null(root.BlobFile(RegistryClient.DigestOf(manifest)));

        var index = Encoding.UTF8.GetBytes($$"""{"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"{{missing}}","size":10}]}""");
        using var badIndex = await client.SendAsync(HttpMethod.Put, "/v2/bad/manifest/manifests/index", index, "application/vnd.oci.image.index.v1+json");
        Assert.Equal("MANIFEST_BLOB_UNKNOWN", await RegistryClient.CodeAsync(badIndex));

        using var garbage = await client.SendAsync(HttpMethod.Put, "/v2/bad/manifest/manifests/garbage", Encoding.UTF8.GetBytes("{not json"), "application/vnd.oci.image.manifest.v1+json");
        Assert.Equal("MANIFEST_INVALID", await RegistryClient.CodeAsync(garbage));
        using var wrongDigest = await client.SendAsync(HttpMethod.Put, $"/v2/bad/manifest/manifests/{missing}", manifest, "application/vnd.oci.image.manifest.v1+json");
        Assert.Equal("DIGEST_INVALID", await RegistryClient.CodeAsync(wrongDigest));

        Assert.Equal("""{"name":"bad/manifest","tags":[]}""", await client.Http.GetStringAsync("/v2/bad/manifest/tags/list"));
        Assert.Single(root.BlobFiles()); // the config only
    }

    [RegistryServeFact]
    public async Task InvalidRepositoryNamesAreRefusedOnTheRawTarget()
    {
        using var root = new RegistryRoot();
        using var registry = await RegistryProcess.StartAsync(root.Storage);
        using var client = new RegistryClient(registry.Url);
        foreach (var target in new[] { "/v2/a/../b/blobs/uploads/", "/v2/../../etc/blobs/uploads/", "/v2/a/%2e%2e/b/blobs/uploads/", "/v2/UPPER/blobs/uploads/", "/v2/a$b/blobs/uploads/", "/v2/a//b/blobs/uploads/" })
        {
            var response = await client.RawAsync("POST", target);
            Assert.True(response.StartsWith("HTTP/1.1 400", StringComparison.Ordinal), $"{target}: {response}");
            Assert.Contains("NAME_INVALID", response);
        }
        var manifest = await client.RawAsync("PUT", "/v2/x/../y/manifests/latest");
        Assert.Contains("NAME_INVALID", manifest);
        Assert.False(Directory.Exists(Path.Combine(root.Storage, "repositories")));
        Assert.Empty(root.Uploads());
    }

    [RegistryServeFact]
    public async Task UploadThatNeverFinishesExpires()
    {
        using var root = new RegistryRoot();
        using var registry = await RegistryProcess.StartAsync(root.Storage, "--upload-ttl", "1s");
        using var client = new RegistryClient(registry.Url);
        using var start = await client.SendAsync(HttpMethod.Post, "/v2/bad/abandoned/blobs/uploads/");
        var location = start.Headers.Location!.ToString();
        using var chunk = await client.SendAsync(HttpMethod.Patch, location, new byte[1000]);
        Assert.Equal(HttpStatusCode.Accepted, chunk.StatusCode);
        Assert.Single(root.Uploads());
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (root.Uploads().Any() && DateTime.UtcNow < deadline)
            await Task.Delay(200);
        Assert.Empty(root.Uploads());
        using var status = await client.SendAsync(HttpMethod.Get, location);
        Assert.Equal("BLOB_UPLOAD_UNKNOWN", await RegistryClient.CodeAsync(status));
    }

    [RegistryServeFact("htpasswd")]
    public async Task HtpasswdRefusesMissingAndWrongPasswords()
    {
        using var root = new RegistryRoot();
        var file = Path.Combine(root.Path, "htpasswd");
        await Interop.Peer.RunAsync("/usr/bin/htpasswd", ["-Bbc", file, "alice", "s3cret"]);
        using var registry = await RegistryProcess.StartAsync(root.Storage, "--auth", "htpasswd", "--htpasswd", file);
        using var client = new RegistryClient(registry.Url);
        using var anonymous = await client.SendAsync(HttpMethod.Get, "/v2/");
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.StartsWith("Basic realm=", anonymous.Headers.WwwAuthenticate.ToString());
        Assert.Equal("UNAUTHORIZED", await RegistryClient.CodeAsync(anonymous));

        void Basic(HttpRequestMessage r, string password) =>
            r.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("alice:" + password)));
        var blob = Encoding.UTF8.GetBytes("secret layer");
        var digest = RegistryClient.DigestOf(blob);
        using var wrong = await client.SendAsync(HttpMethod.Post, $"/v2/auth/r/blobs/uploads/?digest={digest}", blob, configure: r => Basic(r, "wrong"));
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.Equal("UNAUTHORIZED", await RegistryClient.CodeAsync(wrong));
        Assert.Empty(root.BlobFiles());
        using var right = await client.SendAsync(HttpMethod.Post, $"/v2/auth/r/blobs/uploads/?digest={digest}", blob, configure: r => Basic(r, "s3cret"));
        Assert.Equal(HttpStatusCode.Created, right.StatusCode);
    }
}
