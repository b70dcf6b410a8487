using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace Berth.IntegrationTests.Registry;

/// <summary>
/// The distribution spec on the wire against the real berth registry serve: uploads (chunked,
/// status, resume, mount), pulls (GET, HEAD, Range), discovery (tags, catalog), content
/// management (delete tag keeps the others) and referrers.
/// </summary>
public sealed class RegistrySpecTests
{
    [RegistryServeFact]
    public async Task ChunkedUploadWithStatusAndOutOfOrderChunkThenRangeGet()
    {
        using var root = new RegistryRoot();
        using var registry = await RegistryProcess.StartAsync(root.Storage);
        using var client = new RegistryClient(registry.Url);
        var blob = RandomNumberGenerator.GetBytes(300_000);
        var digest = RegistryClient.DigestOf(blob);

        using var start = await client.SendAsync(HttpMethod.Post, "/v2/spec/chunked/blobs/uploads/");
        Assert.Equal(HttpStatusCode.Accepted, start.StatusCode);
        var location = start.Headers.Location!.ToString();
        Assert.StartsWith("/v2/spec/chunked/blobs/uploads/", location);
        Assert.Equal(location[(location.LastIndexOf('/') + 1)..], start.Headers.GetValues("Docker-Upload-UUID").Single());
        Assert.Equal("registry/2.0", start.Headers.GetValues("Docker-Distribution-API-Version").Single());

        using var first = await client.SendAsync(HttpMethod.Patch, location, blob[..100_000], configure: r => r.Content!.Headers.TryAddWithoutValidation("Content-Range", "0-99999"));
        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        Assert.Equal("0-99999", first.Headers.GetValues("Range").Single());

        using var status = await client.SendAsync(HttpMethod.Get, location);
        Assert.Equal(HttpStatusCode.NoContent, status.StatusCode);
        Assert.Equal("0-99999", status.Headers.GetValues("Range").Single());

        using var wrong = await client.SendAsync(HttpMethod.Patch, location, blob[200_000..], configure: r => r.Content!.Headers.TryAddWithoutValidation("Content-Range", "200000-299999"));
        Assert.Equal(HttpStatusCode.RequestedRangeNotSatisfiable, wrong.StatusCode);
        Assert.Equal("0-99999", wrong.Headers.GetValues("Range").Single());

        using var second = await client.SendAsync(HttpMethod.Patch, location, blob[100_000..200_000], configure: r => r.Content!.Headers.TryAddWithoutValidation("Content-Range", "100000-199999"));
        Assert.Equal(HttpStatusCode.Accepted, second.StatusCode);
        Assert.Empty(root.BlobFiles()); // nothing is a blob until the PUT
        using var done = await client.SendAsync(HttpMethod.Put, location + "?digest=" + digest, blob[200_000..]);
        Assert.Equal(HttpStatusCode.Created, done.StatusCode);
        Assert.Equal($"/v2/spec/chunked/blobs/{digest}", done.Headers.Location!.ToString());
        Assert.Equal(digest, done.Headers.GetValues("Docker-Content-Digest").Single());

        Assert.Equal(blob, await client.Http.GetByteArrayAsync($"/v2/spec/chunked/blobs/{digest}"));
        using var head = await client.SendAsync(HttpMethod.Head, $"/v2/spec/chunked/blobs/{digest}");
        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        Assert.Equal(blob.Length, head.Content.Headers.ContentLength);
        Assert.Equal(digest, head.Headers.GetValues("Docker-Content-Digest").Single());
        using var range = await client.SendAsync(HttpMethod.Get, $"/v2/spec/chunked/blobs/{digest}", configure: r => r.Headers.Add("Range", "bytes=1000-1999"));
        Assert.Equal(HttpStatusCode.PartialContent, range.StatusCode);
        Assert.Equal($"bytes 1000-1999/{blob.Length}", range.Content.Headers.ContentRange!.ToString());
        Assert.Equal(blob[1000..2000], await range.Content.ReadAsByteArrayAsync());
        using var past = await client.SendAsync(HttpMethod.Get, $"/v2/spec/chunked/blobs/{digest}", configure: r => r.Headers.Add("Range", $"bytes={blob.Length}-"));
        Assert.Equal(HttpStatusCode.RequestedRangeNotSatisfiable, past.StatusCode);

        // The upload is gone once finished.
        using var after = await client.SendAsync(HttpMethod.Get, location);
        Assert.Equal(HttpStatusCode.NotFound, after.StatusCode);
        Assert.Equal("BLOB_UPLOAD_UNKNOWN", await RegistryClient.CodeAsync(after));
    }

    [RegistryServeFact]
    public async Task LargeAndSmallBlobsInterleaveOnOneKeepAliveConnection()
    {
        // Large blobs go out by sendfile beside Kestrel's own writes: their order on one connection must hold.
        using var root = new RegistryRoot();
        using var registry = await RegistryProcess.StartAsync(root.Storage);
        using var client = new RegistryClient(registry.Url);
        var large = RandomNumberGenerator.GetBytes(3 << 20);
        var small = RandomNumberGenerator.GetBytes(1000);
        var largeDigest = await client.PushBlobAsync("spec/keepalive", large);
        var smallDigest = await client.PushBlobAsync("spec/keepalive", small);
        using var one = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 1 }) { BaseAddress = registry.Url };
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(large, await one.GetByteArrayAsync($"/v2/spec/keepalive/blobs/{largeDigest}"));
            Assert.Equal(small, await one.GetByteArrayAsync($"/v2/spec/keepalive/blobs/{smallDigest}"));
            using var range = new HttpRequestMessage(HttpMethod.Get, $"/v2/spec/keepalive/blobs/{largeDigest}");
            range.Headers.Add("Range", "bytes=1048576-2097151");
            using var partial = await one.SendAsync(range);
            Assert.Equal(large[(1 << 20)..(2 << 20)], await partial.Content.ReadAsByteArrayAsync());
        }
        var parallel = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => client.Http.GetByteArrayAsync($"/v2/spec/keepalive/blobs/{largeDigest}")));
        Assert.All(parallel, body => Assert.Equal(large, body));
    }

    [RegistryServeFact]
    public async Task MountSharesABlobOnlyFromARepositoryThatHasIt()
    {
        using var root = new RegistryRoot();
        using var registry = await RegistryProcess.StartAsync(root.Storage);
        using var client = new RegistryClient(registry.Url);
        var digest = await client.PushBlobAsync("spec/source", Encoding.UTF8.GetBytes("shared layer"));

        using var unknownBefore = await client.SendAsync(HttpMethod.Get, $"/v2/spec/target/blobs/{digest}");
        Assert.Equal("BLOB_UNKNOWN", await RegistryClient.CodeAsync(unknownBefore));
        using var mount = await client.SendAsync(HttpMethod.Post, $"/v2/spec/target/blobs/uploads/?mount={digest}&from=spec/source");
        Assert.Equal(HttpStatusCode.Created, mount.StatusCode);
        Assert.Equal($"/v2/spec/target/blobs/{digest}", mount.Headers.Location!.ToString());
        Assert.Equal("shared layer", await client.Http.GetStringAsync($"/v2/spec/target/blobs/{digest}"));
        Assert.Single(root.BlobFiles());

        using var fallback = await client.SendAsync(HttpMethod.Post, $"/v2/spec/other/blobs/uploads/?mount={digest}&from=spec/nowhere");
        Assert.Equal(HttpStatusCode.Accepted, fallback.StatusCode);
        using var notMounted = await client.SendAsync(HttpMethod.Head, $"/v2/spec/other/blobs/{digest}");
        Assert.Equal(HttpStatusCode.NotFound, notMounted.StatusCode);
    }

    [RegistryServeFact]
    public async Task TagsCatalogDeleteTagAndDeleteManifest()
    {
        using var root = new RegistryRoot();
        using var registry = await RegistryProcess.StartAsync(root.Storage);
        using var client = new RegistryClient(registry.Url);
        var (bytes, digest) = await client.PushImageAsync("spec/tags", "v1", "one");
        foreach (var tag in new[] { "v2", "v3" })
        {
            using var put = await client.SendAsync(HttpMethod.Put, $"/v2/spec/tags/manifests/{tag}", bytes, "application/vnd.oci.image.manifest.v1+json");
            Assert.Equal(HttpStatusCode.Created, put.StatusCode);
            Assert.Equal(digest, put.Headers.GetValues("Docker-Content-Digest").Single());
        }
        await client.PushImageAsync("spec/another", "latest", "two");

        using var get = await client.SendAsync(HttpMethod.Get, "/v2/spec/tags/manifests/v2");
        Assert.Equal("application/vnd.oci.image.manifest.v1+json", get.Content.Headers.ContentType!.MediaType);
        Assert.Equal(digest, get.Headers.GetValues("Docker-Content-Digest").Single());
        Assert.Equal(bytes, await get.Content.ReadAsByteArrayAsync());

        using var page1 = await client.SendAsync(HttpMethod.Get, "/v2/spec/tags/tags/list?n=2");
        Assert.Equal("""{"name":"spec/tags","tags":["v1","v2"]}""", await page1.Content.ReadAsStringAsync());
        Assert.Equal("</v2/spec/tags/tags/list?n=2&last=v2>; rel=\"next\"", page1.Headers.GetValues("Link").Single());
        using var page2 = await client.SendAsync(HttpMethod.Get, "/v2/spec/tags/tags/list?n=2&last=v2");
        Assert.Equal("""{"name":"spec/tags","tags":["v3"]}""", await page2.Content.ReadAsStringAsync());
        Assert.False(page2.Headers.Contains("Link"));
        using var badN = await client.SendAsync(HttpMethod.Get, "/v2/spec/tags/tags/list?n=-1");
        Assert.Equal("PAGINATION_NUMBER_INVALID", await RegistryClient.CodeAsync(badN));
        using var unknown = await client.SendAsync(HttpMethod.Get, "/v2/spec/nothing/tags/list");
        Assert.Equal("NAME_UNKNOWN", await RegistryClient.CodeAsync(unknown));

        Assert.Equal("""{"repositories":["spec/another","spec/tags"]}""", await client.Http.GetStringAsync("/v2/_catalog"));
        using var catalog = await client.SendAsync(HttpMethod.Get, "/v2/_catalog?n=1");
        Assert.Equal("""{"repositories":["spec/another"]}""", await catalog.Content.ReadAsStringAsync());
        Assert.Contains("last=spec%2Fanother", catalog.Headers.GetValues("Link").Single());
        Assert.Equal("""{"repositories":["spec/tags"]}""", await client.Http.GetStringAsync("/v2/_catalog?n=1&last=spec/another"));

        using var deleteTag = await client.SendAsync(HttpMethod.Delete, "/v2/spec/tags/manifests/v1");
        Assert.Equal(HttpStatusCode.Accepted, deleteTag.StatusCode);
        Assert.Equal("""{"name":"spec/tags","tags":["v2","v3"]}""", await client.Http.GetStringAsync("/v2/spec/tags/tags/list"));
        using var v1 = await client.SendAsync(HttpMethod.Get, "/v2/spec/tags/manifests/v1");
        Assert.Equal("MANIFEST_UNKNOWN", await RegistryClient.CodeAsync(v1));
        using var byDigest = await client.SendAsync(HttpMethod.Head, $"/v2/spec/tags/manifests/{digest}");
        Assert.Equal(HttpStatusCode.OK, byDigest.StatusCode);

        using var deleteManifest = await client.SendAsync(HttpMethod.Delete, $"/v2/spec/tags/manifests/{digest}");
        Assert.Equal(HttpStatusCode.Accepted, deleteManifest.StatusCode);
        using var gone = await client.SendAsync(HttpMethod.Get, "/v2/spec/tags/manifests/v2");
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
        Assert.Equal("""{"name":"spec/tags","tags":[]}""", await client.Http.GetStringAsync("/v2/spec/tags/tags/list"));

        var layer = RegistryClient.DigestOf(Encoding.UTF8.GetBytes("x"));
        using var deleteBlob = await client.SendAsync(HttpMethod.Delete, $"/v2/spec/tags/blobs/{layer}");
        Assert.Equal("BLOB_UNKNOWN", await RegistryClient.CodeAsync(deleteBlob));
    }

    [RegistryServeFact]
    public async Task ReferrersWithArtifactTypeFilter()
    {
        using var root = new RegistryRoot();
        using var registry = await RegistryProcess.StartAsync(root.Storage);
        using var client = new RegistryClient(registry.Url);
        var (_, subject) = await client.PushImageAsync("spec/ref", "v1", "subject");
        using var none = await client.SendAsync(HttpMethod.Get, $"/v2/spec/ref/referrers/{subject}");
        Assert.Equal(HttpStatusCode.OK, none.StatusCode);
        Assert.Equal("application/vnd.oci.image.index.v1+json", none.Content.Headers.ContentType!.MediaType);
        Assert.Empty(JsonNode.Parse(await none.Content.ReadAsStringAsync())!["manifests"]!.AsArray());

        var (sigBytes, sig) = await client.PushImageAsync("spec/ref", "sig", "signature", subject, "application/vnd.example.signature");
        var (_, sbom) = await client.PushImageAsync("spec/ref", "sbom", "sbom", subject, "application/vnd.example.sbom");
        using var putAgain = await client.SendAsync(HttpMethod.Put, $"/v2/spec/ref/manifests/{sig}", sigBytes, "application/vnd.oci.image.manifest.v1+json");
        Assert.Equal(subject, putAgain.Headers.GetValues("OCI-Subject").Single());

        var all = JsonNode.Parse(await client.Http.GetStringAsync($"/v2/spec/ref/referrers/{subject}"))!["manifests"]!.AsArray();
        Assert.Equal(new[] { sig, sbom }.Order(), all.Select(m => m!["digest"]!.GetValue<string>()).Order());
        using var filtered = await client.SendAsync(HttpMethod.Get, $"/v2/spec/ref/referrers/{subject}?artifactType=application/vnd.example.sbom");
        Assert.Equal("artifactType", filtered.Headers.GetValues("OCI-Filters-Applied").Single());
        var only = Assert.Single(JsonNode.Parse(await filtered.Content.ReadAsStringAsync())!["manifests"]!.AsArray());
        Assert.Equal(sbom, only!["digest"]!.GetValue<string>());
        Assert.Equal("application/vnd.example.sbom", only["artifactType"]!.GetValue<string>());
        using var bad = await client.SendAsync(HttpMethod.Get, "/v2/spec/ref/referrers/sha256:nothex");
        Assert.Equal("DIGEST_INVALID", await RegistryClient.CodeAsync(bad));
    }
}
