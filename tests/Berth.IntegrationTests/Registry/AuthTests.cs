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
        Assert.Contains("unauthorized: authentication required", anonymous.Stderr);

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
        Assert.Contains("unauthorized: authentication required", after.Stderr);
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
