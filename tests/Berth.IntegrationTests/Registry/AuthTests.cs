using System.Text;

namespace Berth.IntegrationTests.Registry;

/// <summary>login, logout and authenticated push/pull against docker-registry's htpasswd (basic) and token (bearer) auth.</summary>
public sealed class AuthTests
{
    [RegistryFact]
    public void BasicAuthLoginPushPullLogout()
    {
        using var registry = new RegistryServer(new Dictionary<string, string> { ["alice"] = "s3cret-pw" });
        using var cli = new RegistryCli();
        var source = cli.BootstrappedRoot();
        var name = $"{registry.Host}/alice/busybox:1";
        cli.Ok(source, "tag", "busybox", name);

        var anonymous = cli.Run(source, "push", name);
        Assert.Equal(1, anonymous.ExitCode);
        // docker 28 prints exactly this line after "Preparing".
        Assert.Equal("no basic auth credentials\n", anonymous.Stderr);

        var wrong = cli.Run(source, ["login", "-u", "alice", "--password-stdin", registry.Host], "wrong\n");
        Assert.Equal(1, wrong.ExitCode);
        Assert.Equal($"Error response from daemon: login attempt to https://{registry.Host}/v2/ failed with status: 401 Unauthorized\n".Replace("https://", "http://"), wrong.Stderr);
        Assert.False(File.Exists(cli.Environment["BERTH_AUTH_FILE"]));

        var login = cli.Run(source, ["login", "-u", "alice", "--password-stdin", registry.Host], "s3cret-pw\n");
        Assert.True(login.ExitCode == 0, login.ToString());
        Assert.Equal("Login Succeeded\n", login.Stdout);
        Assert.DoesNotContain("s3cret-pw", login.Stdout + login.Stderr);
        var authFile = cli.Environment["BERTH_AUTH_FILE"];
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(authFile));
        Assert.Contains($"\"{registry.Host}\"", File.ReadAllText(authFile));
        Assert.Contains(Convert.ToBase64String(Encoding.UTF8.GetBytes("alice:s3cret-pw")), File.ReadAllText(authFile));

        var push = cli.Run(source, "push", name);
        Assert.True(push.ExitCode == 0, push.ToString());
        Assert.DoesNotContain("s3cret-pw", push.Stdout + push.Stderr);
        var pull = cli.Ok(cli.NewRoot(), "pull", name);
        Assert.Contains("Status: Downloaded newer image", pull);

        Assert.Equal($"Removing login credentials for {registry.Host}\n", cli.Ok(source, "logout", registry.Host));
        var after = cli.Run(cli.NewRoot(), "pull", name);
        Assert.Equal(1, after.ExitCode);
        Assert.Equal($"Error response from daemon: Get \"http://{registry.Host}/v2/alice/busybox/manifests/1\": no basic auth credentials\n", after.Stderr);
    }

    [RegistryFact]
    public void ReadsDockersConfigJson()
    {
        using var registry = new RegistryServer(new Dictionary<string, string> { ["bob"] = "pw-of-bob" });
        using var cli = new RegistryCli();
        var docker = cli.Environment["DOCKER_CONFIG"];
        Directory.CreateDirectory(docker);
        var auth = Convert.ToBase64String(Encoding.UTF8.GetBytes("bob:pw-of-bob"));
        File.WriteAllText(Path.Combine(docker, "config.json"), "{\"auths\": {\"http://" + registry.Host + "/v1/\": {\"auth\": \"" + auth + "\"}}}");
        var source = cli.BootstrappedRoot();
        var name = $"{registry.Host}/bob/busybox:1";
        cli.Ok(source, "tag", "busybox", name);
        cli.Ok(source, "push", name);
        Assert.Contains($"Digest: sha256:", cli.Ok(cli.NewRoot(), "pull", name));
    }
}

/// <summary>The bearer-token flow: docker-registry with token auth, and a token server of the test's own.</summary>
public sealed class TokenAuthTests
{
    [RegistryFact]
    public void BearerTokensArePerScopeCachedAndCheckLogin()
    {
        var dir = Directory.CreateTempSubdirectory("berth-registry-").FullName;
        using var tokens = new TokenServer(dir, new Dictionary<string, string> { ["carol"] = "pw-carol" });
        using var registry = new RegistryServer(tokenConfig: _ => tokens.RegistryConfig, dir: dir);
        using var cli = new RegistryCli();
        var source = cli.BootstrappedRoot();
        var name = $"{registry.Host}/carol/busybox:1";
        cli.Ok(source, "tag", "busybox", name);

        // Anonymous: the token server grants pull only, so the push is refused by the registry.
        var anonymous = cli.Run(source, "push", name);
        Assert.Equal(1, anonymous.ExitCode);
        Assert.Contains("unauthorized", anonymous.Stderr);

        var wrong = cli.Run(source, ["login", "-u", "carol", "--password-stdin", registry.Host], "nope\n");
        Assert.Equal(1, wrong.ExitCode);
        Assert.Equal($"Error response from daemon: Get \"http://{registry.Host}/v2/\": unauthorized: incorrect username or password\n", wrong.Stderr);

        var login = cli.Run(source, ["login", "-u", "carol", "--password-stdin", registry.Host], "pw-carol\n");
        Assert.True(login.ExitCode == 0, login.ToString());
        var before = tokens.Requests.Count;
        var push = cli.Run(source, "push", name);
        Assert.True(push.ExitCode == 0, push.ToString());
        var pushTokens = tokens.Requests.Skip(before).ToList();
        Assert.Contains(pushTokens, q => q.Contains("scope=repository%3Acarol%2Fbusybox%3Apull%2Cpush", StringComparison.Ordinal));
        Assert.All(pushTokens, q => Assert.Contains($"service={TokenServer.Service}", q));

        before = tokens.Requests.Count;
        var pull = cli.Run(cli.NewRoot(), "pull", name);
        Assert.True(pull.ExitCode == 0, pull.ToString());
        // One token for the pull scope, reused for the manifest, the config and the layer.
        var pullTokens = tokens.Requests.Skip(before).ToList();
        Assert.Single(pullTokens);
        Assert.Contains("scope=repository%3Acarol%2Fbusybox%3Apull", pullTokens[0]);
        Assert.Contains("account=carol", pullTokens[0]);
    }
}
