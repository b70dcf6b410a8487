using System.Net;
using System.Text.Json.Nodes;
using Berth.IntegrationTests.Interop;

namespace Berth.IntegrationTests.Registry;

/// <summary>
/// Authentication with a real client: skopeo pushes with credentials through htpasswd Basic auth
/// and through the token flow (401 Bearer challenge, GET /token with Basic, retry with the token),
/// and is refused with a wrong password; a token's scopes are per repository.
/// </summary>
public sealed class RegistryAuthPeerTests(InteropFixture fixture) : IClassFixture<InteropFixture>
{
    [RegistryServeFact("skopeo", "htpasswd", "busybox")]
    public async Task SkopeoPushesWithBasicAndTokenAuthAndIsRefusedWithAWrongPassword()
    {
        using var root = new RegistryRoot();
        var file = Path.Combine(root.Path, "htpasswd");
        await Peer.RunAsync("/usr/bin/htpasswd", ["-Bbc", file, "alice", "s3cret"]);
        var skopeo = Peer.Find("skopeo")!;
        foreach (var mode in new[] { "htpasswd", "token" })
        {
            var storage = Path.Combine(root.Storage, mode);
            using var registry = await RegistryProcess.StartAsync(storage, "--auth", mode, "--htpasswd", file);
            var target = $"docker://{registry.HostPort}/auth/{mode}:v1";
            var refused = await RunAsync(root, skopeo, ["copy", "-q", "--dest-tls-verify=false", "--dest-creds", "alice:wrong", "oci-archive:" + fixture.OciArchivePath, target]);
            Assert.NotEqual(0, refused.ExitCode);
            Assert.True(refused.Stderr.Contains("401") || refused.Stderr.Contains("unauthorized", StringComparison.OrdinalIgnoreCase), refused.Stderr);
            Assert.False(Directory.Exists(Path.Combine(storage, "repositories")), $"{mode}: something was stored with a wrong password");

            var pushed = await RunAsync(root, skopeo, ["copy", "-q", "--dest-tls-verify=false", "--dest-creds", "alice:s3cret", "oci-archive:" + fixture.OciArchivePath, target]);
            Assert.True(pushed.ExitCode == 0, $"{mode}: {pushed.Stderr}");
            var raw = await RunAsync(root, skopeo, ["inspect", "--raw", "--tls-verify=false", "--creds", "alice:s3cret", target]);
            Assert.Equal(fixture.ConfigDigest.ToString(), JsonNode.Parse(raw.Stdout)!["config"]!["digest"]!.GetValue<string>());
        }
    }

    [RegistryServeFact("htpasswd")]
    public async Task TokensAreScopedPerRepository()
    {
        using var root = new RegistryRoot();
        var file = Path.Combine(root.Path, "htpasswd");
        await Peer.RunAsync("/usr/bin/htpasswd", ["-Bbc", file, "alice", "s3cret"]);
        using var registry = await RegistryProcess.StartAsync(root.Storage, "--auth", "token", "--htpasswd", file);
        using var client = new RegistryClient(registry.Url);
        using var challenge = await client.SendAsync(HttpMethod.Post, "/v2/team/app/blobs/uploads/");
        Assert.Equal(HttpStatusCode.Unauthorized, challenge.StatusCode);
        var header = challenge.Headers.WwwAuthenticate.ToString();
        Assert.Contains($"Bearer realm=\"http://{registry.HostPort}/token\"", header);
        Assert.Contains("scope=\"repository:team/app:pull,push\"", header);

        var basic = Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes("alice:s3cret"));
        using var tokenResponse = await client.SendAsync(HttpMethod.Get, "/token?service=berth-registry&scope=repository:team/app:pull,push",
            configure: r => r.Headers.Authorization = new("Basic", basic));
        var token = JsonNode.Parse(await tokenResponse.Content.ReadAsStringAsync())!["token"]!.GetValue<string>();
        using var allowed = await client.SendAsync(HttpMethod.Post, "/v2/team/app/blobs/uploads/", configure: r => r.Headers.Authorization = new("Bearer", token));
        Assert.Equal(HttpStatusCode.Accepted, allowed.StatusCode);
        using var otherRepository = await client.SendAsync(HttpMethod.Post, "/v2/team/other/blobs/uploads/", configure: r => r.Headers.Authorization = new("Bearer", token));
        Assert.Equal(HttpStatusCode.Unauthorized, otherRepository.StatusCode);
        Assert.Equal("UNAUTHORIZED", await RegistryClient.CodeAsync(otherRepository));

        using var wrong = await client.SendAsync(HttpMethod.Get, "/token?service=berth-registry&scope=repository:team/app:pull",
            configure: r => r.Headers.Authorization = new("Basic", Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes("alice:nope"))));
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        using var anonymous = await client.SendAsync(HttpMethod.Get, "/token?service=berth-registry&scope=repository:team/app:pull");
        var anonymousToken = JsonNode.Parse(await anonymous.Content.ReadAsStringAsync())!["token"]!.GetValue<string>();
        using var anonymousPull = await client.SendAsync(HttpMethod.Get, "/v2/team/app/tags/list", configure: r => r.Headers.Authorization = new("Bearer", anonymousToken));
        Assert.Equal(HttpStatusCode.Unauthorized, anonymousPull.StatusCode); // no --anonymous-pull
    }

    private sealed record Result(int ExitCode, string Stdout, string Stderr);

    private static async Task<Result> RunAsync(RegistryRoot root, string file, string[] args)
    {
        var (isolated, arguments) = Peer.Isolate(file, args, root.Path);
        var start = new System.Diagnostics.ProcessStartInfo(isolated) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in arguments)
            start.ArgumentList.Add(a);
        var auth = Path.Combine(root.Path, "auth.json");
        if (!File.Exists(auth))
            File.WriteAllText(auth, "{}");
        start.Environment["REGISTRY_AUTH_FILE"] = auth;
        using var process = System.Diagnostics.Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        return new Result(process.ExitCode, await stdout, await stderr);
    }
}
