using System.Text.Json;
using Berth.IntegrationTests.Interop;

namespace Berth.IntegrationTests.Registry;

/// <summary>berth push and pull against Debian's docker-registry, anonymous, cross-checked with skopeo.</summary>
public sealed class PushPullTests
{
    private static async Task<string> SkopeoDigestAsync(string image, string scratch)
    {
        var json = await Peer.RunIsolatedAsync("/usr/bin/skopeo", ["inspect", "--raw", "--tls-verify=false", $"docker://{image}"], scratch);
        using var sha = System.Security.Cryptography.SHA256.Create();
        return "sha256:" + Convert.ToHexStringLower(sha.ComputeHash(System.Text.Encoding.UTF8.GetBytes(json)));
    }

    private static string Digest(string pushOutput)
    {
        var line = pushOutput.Split('\n').Single(l => l.Contains(": digest: "));
        return line.Split(' ')[2];
    }

    [RegistryFact]
    public async Task PushThenPullIntoAFreshRootKeepsTheDigest()
    {
        using var registry = new RegistryServer();
        using var cli = new RegistryCli();
        var source = cli.BootstrappedRoot();
        var name = $"{registry.Host}/team/busybox:v1";
        cli.Ok(source, "tag", "busybox", name);
        var push = cli.Ok(source, "push", name);
        Assert.Contains($"The push refers to repository [{registry.Host}/team/busybox]", push);
        Assert.Contains(": Pushed", push);
        var digest = Digest(push);
        Assert.Equal(digest, await SkopeoDigestAsync(name, cli.Home));

        var again = cli.Ok(source, "push", name);
        Assert.Contains(": Layer already exists", again);
        Assert.DoesNotContain(": Pushed", again);

        var target = cli.NewRoot();
        var pull = cli.Ok(target, "pull", name);
        Assert.Contains("v1: Pulling from team/busybox", pull);
        Assert.Contains(": Pull complete", pull);
        Assert.Contains($"Digest: {digest}", pull);
        Assert.Contains($"Status: Downloaded newer image for {name}", pull);
        Assert.EndsWith(name + "\n", pull);
        var digests = cli.Ok(target, "images", "--digests", "--format", "{{.Repository}}:{{.Tag}} {{.Digest}}");
        Assert.Contains($"{registry.Host}/team/busybox:v1 {digest}", digests);
        // The pulled image is the pushed one: same id.
        Assert.Equal(cli.Ok(source, "image", "inspect", "--format", "{{.Id}}", "busybox"), cli.Ok(target, "image", "inspect", "--format", "{{.Id}}", name));

        var second = cli.Ok(target, "pull", name);
        Assert.Contains($"Status: Image is up to date for {name}", second);

        var byDigest = cli.Ok(cli.NewRoot(), "pull", "-q", $"{registry.Host}/team/busybox@{digest}");
        Assert.Equal($"{registry.Host}/team/busybox@{digest}\n", byDigest);
    }

    [RegistryFact]
    public void MissingImagesAndBadNamesGetDockersErrors()
    {
        using var registry = new RegistryServer();
        using var cli = new RegistryCli();
        var root = cli.NewRoot();
        var missing = cli.Run(root, "pull", $"{registry.Host}/nobody/here");
        Assert.Equal(1, missing.ExitCode);
        // Byte for byte what docker 28 prints against the same registry.
        Assert.Equal("Using default tag: latest\n", missing.Stdout);
        Assert.Equal($"Error response from daemon: manifest for {registry.Host}/nobody/here:latest not found: manifest unknown: manifest unknown\n", missing.Stderr);
        var badTag = cli.Run(root, "pull", $"{registry.Host}/nobody/here:no");
        Assert.Contains($"manifest for {registry.Host}/nobody/here:no not found", badTag.Stderr);
        var upper = cli.Run(root, "pull", $"{registry.Host}/Team/x");
        Assert.Equal(1, upper.ExitCode);
        Assert.Equal("invalid reference format: repository name (Team/x) must be lowercase\n", upper.Stderr);
        var invalid = cli.Run(root, "pull", "a b");
        Assert.Equal("invalid reference format\n", invalid.Stderr);
        var notLocal = cli.Run(root, "push", $"{registry.Host}/nobody/here");
        Assert.Equal(1, notLocal.ExitCode);
        Assert.Equal($"An image does not exist locally with the tag: {registry.Host}/nobody/here\n", notLocal.Stderr);
        Assert.Equal($"Using default tag: latest\nThe push refers to repository [{registry.Host}/nobody/here]\n", notLocal.Stdout);
        Assert.False(Directory.Exists(Path.Combine(root, "images", "blobs", "sha256")) && Directory.EnumerateFiles(Path.Combine(root, "images", "blobs", "sha256")).Any());
    }

    [RegistryFact]
    public async Task PullsAnIndexSkopeoPushedAndPicksThePlatform()
    {
        using var registry = new RegistryServer();
        using var cli = new RegistryCli();
        var source = cli.BootstrappedRoot();
        // Two single-platform images as an OCI layout, then an index over both, copied by skopeo.
        var layout = Path.Combine(cli.Home, "layout");
        cli.Ok(source, "save", "-o", Path.Combine(cli.Home, "amd64.tar"), "busybox");
        await Peer.RunIsolatedAsync("/usr/bin/skopeo", ["copy", $"docker-archive:{cli.Home}/amd64.tar", $"oci:{layout}:amd64"], cli.Home);
        var index = JsonDocument.Parse(File.ReadAllText(Path.Combine(layout, "index.json")));
        var amd64 = index.RootElement.GetProperty("manifests")[0];
        var manifestDigest = amd64.GetProperty("digest").GetString()!;
        var manifestSize = amd64.GetProperty("size").GetInt64();
        // The arm64 entry: the same manifest with another config (its architecture changed), which a real index would have.
        var manifestPath = Path.Combine(layout, "blobs", "sha256", manifestDigest[7..]);
        var manifest = JsonDocument.Parse(File.ReadAllBytes(manifestPath)).RootElement;
        var configDigest = manifest.GetProperty("config").GetProperty("digest").GetString()!;
        var config = File.ReadAllText(Path.Combine(layout, "blobs", "sha256", configDigest[7..])).Replace("\"architecture\":\"amd64\"", "\"architecture\":\"arm64\"");
        Assert.Contains("arm64", config);
        var armConfig = Write(layout, System.Text.Encoding.UTF8.GetBytes(config));
        var armManifest = Write(layout, System.Text.Encoding.UTF8.GetBytes(File.ReadAllText(manifestPath).Replace(configDigest, armConfig.Digest).Replace(
            $"\"size\":{manifest.GetProperty("config").GetProperty("size").GetInt64()},", $"\"size\":{armConfig.Size},")));
        var indexJson = $$$"""
            {"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[
             {"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"{{{manifestDigest}}}","size":{{{manifestSize}}},"platform":{"architecture":"amd64","os":"linux"}},
             {"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"{{{armManifest.Digest}}}","size":{{{armManifest.Size}}},"platform":{"architecture":"arm64","os":"linux"}}]}
            """;
        var multi = Write(layout, System.Text.Encoding.UTF8.GetBytes(indexJson));
        File.WriteAllText(Path.Combine(layout, "index.json"), $$$"""
            {"schemaVersion":2,"manifests":[{"mediaType":"application/vnd.oci.image.index.v1+json","digest":"{{{multi.Digest}}}","size":{{{multi.Size}}},"annotations":{"org.opencontainers.image.ref.name":"multi"}}]}
            """);
        var name = $"{registry.Host}/multi/busybox:1";
        await Peer.RunIsolatedAsync("/usr/bin/skopeo", ["copy", "--all", "--dest-tls-verify=false", $"oci:{layout}:multi", $"docker://{name}"], cli.Home);
        Assert.Equal(multi.Digest, await SkopeoDigestAsync(name, cli.Home));

        var host = cli.NewRoot();
        var pulled = cli.Ok(host, "pull", name);
        Assert.Contains($"Digest: {multi.Digest}", pulled);
        Assert.Contains("amd64", cli.Ok(host, "image", "inspect", "--format", "{{.Architecture}}", name));

        var arm = cli.NewRoot();
        var armPull = cli.Ok(arm, "pull", "--platform", "linux/arm64", name);
        Assert.Contains($"Digest: {multi.Digest}", armPull);
        Assert.Contains("arm64", cli.Ok(arm, "image", "inspect", "--format", "{{.Architecture}}", name));

        var none = cli.Run(cli.NewRoot(), "pull", "--platform", "linux/s390x", name);
        Assert.Equal(1, none.ExitCode);
        Assert.Contains("no matching manifest for linux/s390x in the manifest list entries", none.Stderr);
    }

    [RegistryFact]
    public void AllTagsGoUpAndComeDown()
    {
        using var registry = new RegistryServer();
        using var cli = new RegistryCli();
        var source = cli.BootstrappedRoot();
        var repository = $"{registry.Host}/team/tags";
        foreach (var tag in new[] { "a", "b", "c" })
            cli.Ok(source, "tag", "busybox", $"{repository}:{tag}");
        var push = cli.Ok(source, "push", "--all-tags", repository);
        Assert.Contains("a: digest: sha256:", push);
        Assert.Contains("c: digest: sha256:", push);
        Assert.Contains("tag can't be used with --all-tags/-a", cli.Run(source, "push", "-a", repository + ":a").Stderr);

        var target = cli.NewRoot();
        var pull = cli.Ok(target, "pull", "-a", repository);
        Assert.Contains($"Status: Downloaded newer image for {repository}", pull);
        Assert.EndsWith(repository + "\n", pull);
        var tags = cli.Ok(target, "images", "--format", "{{.Tag}}").Split('\n', StringSplitOptions.RemoveEmptyEntries).Order().ToArray();
        Assert.Equal(["a", "b", "c"], tags);
    }

    private static (string Digest, long Size) Write(string layout, byte[] content)
    {
        var hex = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(content));
        File.WriteAllBytes(Path.Combine(layout, "blobs", "sha256", hex), content);
        return ("sha256:" + hex, content.Length);
    }
}
