using Berth.IntegrationTests.Interop;

namespace Berth.IntegrationTests.Build;

/// <summary>
/// <c>buildah bud</c> (Debian's buildah 1.28) with private storage, through
/// tests/peers/buildah.sh. <c>--format docker</c> because the OCI config has no Healthcheck,
/// OnBuild or Shell (buildah drops them with a warning otherwise); <c>--pull=never</c> because
/// the base image is loaded, never fetched.
/// </summary>
internal sealed class BuildahBuilder(string script, string dir) : IImageBuilder
{
    public string Name => "buildah";

    private Task<string> Buildah(params IEnumerable<string> args) => Peer.RunAsync(script, [dir, .. args]);

    public async Task<string> LoadAsync(string archive, string name)
    {
        // pull prints the image ID; the name buildah derives from the archive is not relied on.
        var id = (await Buildah("pull", "-q", $"docker-archive:{archive}")).Trim();
        await Buildah("tag", id, name);
        return "sha256:" + id;
    }

    public async Task BuildAsync(BuildRequest request)
    {
        List<string> args = ["bud", "--format", "docker", "--pull=never", "--network", "none", "-q", "-t", request.Tag, "-f", Path.Combine(request.Context, request.Dockerfile)];
        foreach (var (key, value) in request.BuildArgs)
            args.AddRange(["--build-arg", $"{key}={value}"]);
        if (request.Target is { } target)
            args.AddRange(["--target", target]);
        args.Add(request.Context);
        await Buildah(args);
    }

    public Task SaveAsync(string tag, string archive) => Buildah("push", "-q", tag, $"docker-archive:{archive}:{tag}");

    public Task RemoveAsync() => Peer.RunAsync(script, [dir, "--remove"]);
}
