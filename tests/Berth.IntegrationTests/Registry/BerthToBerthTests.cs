namespace Berth.IntegrationTests.Registry;

/// <summary>
/// Both halves of Berth together: `berth push` and `berth pull` against `berth registry serve`,
/// anonymous and behind its token auth, with the digests identical at both ends.
/// </summary>
public sealed class BerthToBerthTests
{
    private static string Digest(string pushOutput) =>
        pushOutput.Split('\n').Single(l => l.Contains(": digest: ")).Split(' ')[2];

    [RegistryServeFact]
    public async Task PushPullAndMountAgainstBerthRegistry()
    {
        using var root = new RegistryRoot();
        using var registry = await RegistryProcess.StartAsync(root.Storage);
        using var cli = new RegistryCli();
        var source = cli.BootstrappedRoot();
        // Two layers: busybox's and one a build adds.
        var context = Directory.CreateDirectory(Path.Combine(cli.Home, "ctx")).FullName;
        File.WriteAllText(Path.Combine(context, "Dockerfile"), "FROM busybox\nCOPY data /data\n");
        File.WriteAllBytes(Path.Combine(context, "data"), System.Security.Cryptography.RandomNumberGenerator.GetBytes(3 << 20));
        var name = $"{registry.HostPort}/team/app:v1";
        cli.Ok(source, "build", "-q", "-t", name, context);

        var push = cli.Ok(source, "push", name);
        Assert.Equal(2, push.Split('\n').Count(l => l.EndsWith(": Pushed", StringComparison.Ordinal)));
        var digest = Digest(push);
        Assert.Contains(": Layer already exists", cli.Ok(source, "push", name));

        // Another repository of the same registry: the blobs are mounted, not sent again.
        var other = $"{registry.HostPort}/team/copy:v1";
        cli.Ok(source, "tag", name, other);
        var mounted = cli.Ok(source, "push", other);
        Assert.Contains(": Mounted from team/app", mounted);
        Assert.DoesNotContain(": Pushed", mounted);
        Assert.Equal(digest, Digest(mounted));

        var target = cli.NewRoot();
        var pull = cli.Ok(target, "pull", name);
        Assert.Contains($"Digest: {digest}", pull);
        Assert.Equal(cli.Ok(source, "image", "inspect", "--format", "{{.Id}}", name), cli.Ok(target, "image", "inspect", "--format", "{{.Id}}", name));
        Assert.Equal("3145728\n", cli.Ok(target, "run", "--rm", "--network", "none", name, "sh", "-c", "wc -c < /data"));
        Assert.Equal($"{registry.HostPort}/team/copy@{digest}\n", cli.Ok(cli.NewRoot(), "pull", "-q", $"{registry.HostPort}/team/copy@{digest}"));

        // What the registry holds is what berth sent: the manifest's bytes hash to the digest.
        using var http = new HttpClient { BaseAddress = registry.Url };
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v2/team/app/manifests/v1");
        request.Headers.Accept.ParseAdd("application/vnd.oci.image.manifest.v1+json");
        request.Headers.Accept.ParseAdd("application/vnd.docker.distribution.manifest.v2+json");
        using var response = await http.SendAsync(request);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        Assert.Equal(digest, "sha256:" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes)));
    }

    [RegistryServeFact("htpasswd")]
    public async Task LoginAndPushThroughBerthRegistryTokenAuth()
    {
        using var root = new RegistryRoot();
        var htpasswd = Path.Combine(root.Path, "htpasswd");
        await Interop.Peer.RunAsync("/usr/bin/htpasswd", ["-Bbc", htpasswd, "alice", "s3cret-pw"]);
        using var registry = await RegistryProcess.StartAsync(root.Storage, "--auth", "token", "--htpasswd", htpasswd);
        using var cli = new RegistryCli();
        var source = cli.BootstrappedRoot();
        var name = $"{registry.HostPort}/alice/busybox:v1";
        cli.Ok(source, "tag", "busybox", name);

        var refused = cli.Run(source, "push", name);
        Assert.NotEqual(0, refused.ExitCode);
        Assert.Empty(root.BlobFiles());

        var wrong = cli.Run(source, ["login", "-u", "alice", "--password-stdin", registry.HostPort], "nope\n");
        Assert.Equal(1, wrong.ExitCode);
        var login = cli.Run(source, ["login", "-u", "alice", "--password-stdin", registry.HostPort], "s3cret-pw\n");
        Assert.True(login.ExitCode == 0, login.ToString());
        Assert.Contains("Login Succeeded", login.Stdout);
        Assert.DoesNotContain("s3cret-pw", login.Stdout + login.Stderr);

        var digest = Digest(cli.Ok(source, "push", name));
        Assert.Contains($"Digest: {digest}", cli.Ok(cli.NewRoot(), "pull", name));
        cli.Ok(source, "logout", registry.HostPort);
        Assert.NotEqual(0, cli.Run(cli.NewRoot(), "pull", name).ExitCode);
    }
}
