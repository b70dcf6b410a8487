using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Berth.Distribution.Client;
using Berth.Distribution.Client.Auth;
using Berth.Distribution.Client.Credentials;
using Berth.Distribution.Client.Hosts;
using Berth.Errdefs;
using Berth.Oci;

namespace Berth.Distribution.Tests.Client;

public sealed class RegistryClientTests
{
    private static readonly RegistryEndpoint Endpoint = new("reg.test", Insecure: false, Mirror: false);

    private const string ManifestJson = """{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a","size":2},"layers":[]}""";

    private static HttpResponseMessage Manifest(string json, string? claimedDigest = null)
    {
        var response = new HttpResponseMessage(HttpStatusCode.OK) { Content = new ByteArrayContent(Encoding.UTF8.GetBytes(json)) };
        response.Content.Headers.ContentType = new MediaTypeHeaderValue("application/vnd.oci.image.manifest.v1+json");
        if (claimedDigest is not null)
            response.Headers.Add("Docker-Content-Digest", claimedDigest);
        return response;
    }

    private static RegistryClient Client(FakeRegistry fake, RegistryCredential? credential = null, TokenCache? tokens = null) =>
        new(Endpoint, credential, tokens ?? new TokenCache(), fake);

    [Fact]
    public async Task AManifestIsItsBytesAndTheirDigest()
    {
        var digest = Digest.Of(Encoding.UTF8.GetBytes(ManifestJson));
        using var client = Client(new FakeRegistry(_ => Manifest(ManifestJson, digest.ToString())));
        var manifest = await client.GetManifestAsync("team/app", "v1");
        Assert.Equal(digest, manifest.Digest);
        Assert.Equal(ManifestJson, Encoding.UTF8.GetString(manifest.Bytes));
        Assert.Equal("application/vnd.oci.image.manifest.v1+json", manifest.MediaType);
        var byDigest = await client.GetManifestAsync("team/app", digest.ToString());
        Assert.Equal(digest, byDigest.Digest);
    }

    [Fact]
    public async Task ALyingDigestHeaderIsCaught()
    {
        var other = Digest.Of("x"u8).ToString();
        using var client = Client(new FakeRegistry(_ => Manifest(ManifestJson, other)));
        var e = await Assert.ThrowsAsync<BerthException>(() => client.GetManifestAsync("team/app", "v1"));
        Assert.Equal(ErrorKind.FailedPrecondition, e.Kind);
        Assert.Contains($"Docker-Content-Digest says {other}", e.Message);
    }

    [Fact]
    public async Task ContentNotMatchingTheRequestedDigestIsCaught()
    {
        var wanted = Digest.Of("something else"u8);
        using var client = Client(new FakeRegistry(_ => Manifest(ManifestJson)));
        var e = await Assert.ThrowsAsync<BerthException>(() => client.GetManifestAsync("team/app", wanted.ToString()));
        Assert.Equal(ErrorKind.FailedPrecondition, e.Kind);
        Assert.Contains("the registry sent content with digest", e.Message);
    }

    [Fact]
    public async Task ManifestsOverFourMebibytesAreRefused()
    {
        var big = "{\"schemaVersion\":2,\"x\":\"" + new string('a', 4 << 20) + "\"}";
        using var withLength = Client(new FakeRegistry(_ => Manifest(big)));
        Assert.Contains("larger than", (await Assert.ThrowsAsync<BerthException>(() => withLength.GetManifestAsync("a", "b"))).Message);
        // Without a Content-Length, the read itself stops at the limit.
        using var streamed = Client(new FakeRegistry(_ =>
        {
            var response = new HttpResponseMessage(HttpStatusCode.OK) { Content = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes(big))) };
            response.Content.Headers.ContentLength = null;
            return response;
        }));
        Assert.Equal(ErrorKind.InvalidArgument, (await Assert.ThrowsAsync<BerthException>(() => streamed.GetManifestAsync("a", "b"))).Kind);
    }

    [Fact]
    public async Task RegistryErrorsReadAsDockerPrintsThem()
    {
        using var client = Client(new FakeRegistry(_ => FakeRegistry.Status(HttpStatusCode.NotFound,
            """{"errors":[{"code":"MANIFEST_UNKNOWN","message":"manifest unknown","detail":{"Tag":"v9"}}]}""")));
        var e = await Assert.ThrowsAsync<BerthException>(() => client.GetManifestAsync("team/app", "v9"));
        Assert.Equal(ErrorKind.NotFound, e.Kind);
        Assert.Equal("manifest unknown: manifest unknown", e.Message);
    }

    [Fact]
    public async Task TheBearerFlowFetchesOneTokenPerScopeAndRetriesOnce()
    {
        var tokenRequests = 0;
        var fake = new FakeRegistry(request =>
        {
            if (request.RequestUri!.Host == "auth.test")
            {
                tokenRequests++;
                Assert.Equal("Basic " + Convert.ToBase64String("dave:pw"u8), request.Headers.Authorization?.ToString());
                Assert.Contains("scope=repository%3Ateam%2Fapp%3Apull", request.RequestUri.Query);
                Assert.Contains("service=reg.test", request.RequestUri.Query);
                return FakeRegistry.Status(HttpStatusCode.OK, """{"token":"tok-1","expires_in":300}""");
            }
            if (request.Headers.Authorization?.ToString() != "Bearer tok-1")
            {
                var challenge = FakeRegistry.Status(HttpStatusCode.Unauthorized);
                challenge.Headers.WwwAuthenticate.ParseAdd("Bearer realm=\"https://auth.test/token\",service=\"reg.test\",scope=\"repository:team/app:pull\"");
                return challenge;
            }
            return Manifest(ManifestJson);
        });
        using var client = Client(fake, new RegistryCredential("dave", "pw"));
        await client.GetManifestAsync("team/app", "v1");
        await client.GetManifestAsync("team/app", "v2");
        Assert.Equal(1, tokenRequests);
        // 401, token, retry; then the second manifest with the cached token straight away.
        Assert.Equal(4, fake.Requests.Count);
    }

    [Fact]
    public async Task AWrongBasicPasswordIsOneRetryThenUnauthorized()
    {
        var fake = new FakeRegistry(_ =>
        {
            var challenge = FakeRegistry.Status(HttpStatusCode.Unauthorized, """{"errors":[{"code":"UNAUTHORIZED","message":"authentication required"}]}""");
            challenge.Headers.WwwAuthenticate.ParseAdd("Basic realm=\"r\"");
            return challenge;
        });
        using var client = Client(fake, new RegistryCredential("u", "wrong"));
        var e = await Assert.ThrowsAsync<BerthException>(() => client.GetManifestAsync("a", "b"));
        Assert.Equal(ErrorKind.Unauthorized, e.Kind);
        Assert.Equal("unauthorized: authentication required", e.Message);
        Assert.Equal(2, fake.Requests.Count);
        Assert.Null(fake.Requests[0].Authorization);
        Assert.StartsWith("Basic ", fake.Requests[1].Authorization);
    }

    [Fact]
    public async Task ABlobResumesWithARangeAndARangeTheRegistryIgnoredStartsOver()
    {
        var honour = true;
        var fake = new FakeRegistry(request =>
        {
            var body = Encoding.UTF8.GetBytes("0123456789");
            if (request.Headers.Range is { } range && honour)
            {
                var from = (int)range.Ranges.First().From!.Value;
                var partial = new HttpResponseMessage(HttpStatusCode.PartialContent) { Content = new ByteArrayContent(body[from..]) };
                partial.Content.Headers.ContentRange = new ContentRangeHeaderValue(from, body.Length - 1, body.Length);
                return partial;
            }
            return new HttpResponseMessage(HttpStatusCode.OK) { Content = new ByteArrayContent(body) };
        });
        using var client = Client(fake);
        var digest = Digest.Of("0123456789"u8);
        using (var download = await client.GetBlobAsync("a", digest, 4))
        {
            Assert.Equal(4, download.Offset);
            Assert.Equal("456789", await new StreamReader(download.Body).ReadToEndAsync());
        }
        Assert.Equal("bytes=4-", fake.Requests[^1].Range);
        honour = false;
        using var whole = await client.GetBlobAsync("a", digest, 4);
        Assert.Equal(0, whole.Offset);
    }

    [Fact]
    public async Task UploadStatusIsTheEndOfItsRangePlusOne()
    {
        var fake = new FakeRegistry(request =>
        {
            if (request.RequestUri!.AbsolutePath.EndsWith("/gone", StringComparison.Ordinal))
                return FakeRegistry.Status(HttpStatusCode.NotFound);
            var response = FakeRegistry.Status(HttpStatusCode.NoContent);
            response.Headers.TryAddWithoutValidation("Range", "0-1048575");
            return response;
        });
        using var client = Client(fake);
        Assert.Equal(1048576, await client.UploadStatusAsync("a", "/v2/a/blobs/uploads/abc?_state=x"));
        Assert.Null(await client.UploadStatusAsync("a", "https://reg.test/v2/a/blobs/uploads/gone"));
        Assert.Equal("https://reg.test/v2/a/blobs/uploads/abc?_state=x", fake.Requests[0].Uri.ToString());
    }

    [Fact]
    public async Task ATokenTheRegistryNoLongerTakesIsReplacedOnce()
    {
        var issued = 0;
        var accepted = "tok-1";
        var fake = new FakeRegistry(request =>
        {
            if (request.RequestUri!.Host == "auth.test")
                return FakeRegistry.Status(HttpStatusCode.OK, $$"""{"token":"tok-{{++issued}}","expires_in":3600}""");
            if (request.Headers.Authorization?.ToString() != "Bearer " + accepted)
            {
                var challenge = FakeRegistry.Status(HttpStatusCode.Unauthorized);
                challenge.Headers.WwwAuthenticate.ParseAdd("Bearer realm=\"https://auth.test/token\",service=\"reg.test\"");
                return challenge;
            }
            return Manifest(ManifestJson);
        });
        using var client = Client(fake);
        await client.GetManifestAsync("a", "v1");
        // The registry revokes tok-1 (expired early, or rotated): the cached token is dropped and a new one fetched.
        accepted = "tok-2";
        await client.GetManifestAsync("a", "v1");
        Assert.Equal(2, issued);
        // A registry that refuses every token: one retry, then the 401 stands.
        accepted = "never";
        var e = await Assert.ThrowsAsync<BerthException>(() => client.GetManifestAsync("a", "v1"));
        Assert.Equal(ErrorKind.Unauthorized, e.Kind);
        Assert.Equal(3, issued);
    }

    [Fact]
    public async Task CredentialsNeverGoToAnotherHost()
    {
        var fake = new FakeRegistry(request =>
        {
            if (request.RequestUri!.Host == "reg.test" && request.Headers.Authorization is null)
            {
                var challenge = FakeRegistry.Status(HttpStatusCode.Unauthorized);
                challenge.Headers.WwwAuthenticate.ParseAdd("Basic realm=\"r\"");
                return challenge;
            }
            var ok = FakeRegistry.Status(HttpStatusCode.NoContent);
            ok.Headers.TryAddWithoutValidation("Range", "0-9");
            return ok;
        });
        using var client = Client(fake, new RegistryCredential("u", "secret"));
        Assert.Equal(10, await client.UploadStatusAsync("a", "/v2/a/blobs/uploads/x"));
        Assert.StartsWith("Basic ", fake.Requests[^1].Authorization);
        // A registry whose upload Location names another host does not get the credential sent there.
        Assert.Equal(10, await client.UploadStatusAsync("a", "https://elsewhere.test/v2/a/blobs/uploads/x"));
        Assert.Equal("elsewhere.test", fake.Requests[^1].Uri.Host);
        Assert.Null(fake.Requests[^1].Authorization);
    }
}
