using Berth.IntegrationTests.Interop;

namespace Berth.IntegrationTests.Build;

/// <summary>
/// <c>docker build</c> against a private dockerd (Debian's docker.io 20.10, started by
/// tests/peers/dockerd.sh) through the 20.10 client: the legacy builder by default,
/// BuildKit (built into that dockerd) for the cases that need it. RUN gets no network:
/// the private dockerd has no bridge.
/// </summary>
internal sealed class DockerBuilder(string docker, string host, string config, bool buildKit) : IImageBuilder
{
    public string Name => buildKit ? "docker-buildkit" : "docker";

    private Dictionary<string, string> Environment => new()
    {
        ["DOCKER_HOST"] = host,
        ["DOCKER_CONFIG"] = config,
        ["DOCKER_BUILDKIT"] = buildKit ? "1" : "0",
    };

    public async Task<string> LoadAsync(string archive, string name)
    {
        await Peer.RunAsync(docker, ["load", "-q", "-i", archive], Environment);
        return (await Peer.RunAsync(docker, ["image", "inspect", "--format", "{{.Id}}", name], Environment)).Trim();
    }

    public async Task BuildAsync(BuildRequest request)
    {
        List<string> args = ["build", "--network", "none", "-t", request.Tag, "-f", Path.Combine(request.Context, request.Dockerfile)];
        foreach (var (key, value) in request.BuildArgs)
            args.AddRange(["--build-arg", $"{key}={value}"]);
        if (request.Target is { } target)
            args.AddRange(["--target", target]);
        args.Add(request.Context);
        await Peer.RunAsync(docker, args, Environment);
    }

    public Task SaveAsync(string tag, string archive) => Peer.RunAsync(docker, ["save", "-o", archive, tag], Environment);
}
