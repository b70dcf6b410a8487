using Berth.IntegrationTests.Interop;

namespace Berth.IntegrationTests.Registry;

/// <summary>The registries file: a mirror is tried first, then the registry; Docker schema-2 manifests pushed by skopeo pull with their digest.</summary>
public sealed class MirrorTests
{
    [RegistryFact]
    public void AMirrorServesFirstAndTheRegistryAfterIt()
    {
        using var origin = new RegistryServer();
        using var mirror = new RegistryServer();
        using var cli = new RegistryCli();
        var source = cli.BootstrappedRoot();
        // The mirror has team/only-mirror; the origin has team/only-origin; each under its own name.
        cli.Ok(source, "tag", "busybox", $"{mirror.Host}/team/only-mirror:1");
        cli.Ok(source, "push", $"{mirror.Host}/team/only-mirror:1");
        cli.Ok(source, "tag", "busybox", $"{origin.Host}/team/only-origin:1");
        cli.Ok(source, "push", $"{origin.Host}/team/only-origin:1");
        File.WriteAllText(cli.Environment["BERTH_REGISTRIES_CONFIG"], $$"""
            { "mirrors": { "{{origin.Host}}": ["http://{{mirror.Host}}"] } }
            """);

        var root = cli.NewRoot();
        var fromMirror = cli.Run(root, "pull", $"{origin.Host}/team/only-mirror:1");
        Assert.True(fromMirror.ExitCode == 0, fromMirror.ToString());
        Assert.Contains($"Status: Downloaded newer image for {origin.Host}/team/only-mirror:1", fromMirror.Stdout);
        Assert.Contains("/v2/team/only-mirror/manifests/1", mirror.LogText());
        Assert.DoesNotContain("only-mirror", origin.LogText());

        var fromOrigin = cli.Run(root, "pull", $"{origin.Host}/team/only-origin:1");
        Assert.True(fromOrigin.ExitCode == 0, fromOrigin.ToString());
        Assert.Contains("/v2/team/only-origin/manifests/1", mirror.LogText());

        File.WriteAllText(cli.Environment["BERTH_REGISTRIES_CONFIG"], """{ "registry-mirrors": "not a list" }""");
        var bad = cli.Run(root, "pull", $"{origin.Host}/team/only-origin:1");
        Assert.Equal(1, bad.ExitCode);
        Assert.Contains("read registries config", bad.Stderr);
    }

    [RegistryFact]
    public async Task DockerSchema2ManifestsPullWithTheirDigest()
    {
        using var registry = new RegistryServer();
        using var cli = new RegistryCli();
        var source = cli.BootstrappedRoot();
        var archive = Path.Combine(cli.Home, "busybox.tar");
        cli.Ok(source, "save", "-o", archive, "busybox");
        var name = $"{registry.Host}/docker/busybox:v2s2";
        await Peer.RunIsolatedAsync("/usr/bin/skopeo", ["copy", "--format", "v2s2", "--dest-tls-verify=false", $"docker-archive:{archive}", $"docker://{name}"], cli.Home);
        var raw = await Peer.RunIsolatedAsync("/usr/bin/skopeo", ["inspect", "--raw", "--tls-verify=false", $"docker://{name}"], cli.Home);
        Assert.Contains("application/vnd.docker.distribution.manifest.v2+json", raw);
        var digest = "sha256:" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(raw)));
        var root = cli.NewRoot();
        Assert.Contains($"Digest: {digest}", cli.Ok(root, "pull", name));
        Assert.Contains(digest, cli.Ok(root, "images", "--digests"));
        // And it goes back up unchanged: same digest on another repository.
        cli.Ok(root, "tag", name, $"{registry.Host}/docker/again:1");
        Assert.Contains($"1: digest: {digest}", cli.Ok(root, "push", $"{registry.Host}/docker/again:1"));
    }
}
