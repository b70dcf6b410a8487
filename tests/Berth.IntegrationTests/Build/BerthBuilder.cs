using Berth.IntegrationTests.Cli;

namespace Berth.IntegrationTests.Build;

/// <summary><c>berth build</c>, the subject, with a private <c>--root</c>; flags as docker's.</summary>
internal sealed class BerthBuilder(string root) : IImageBuilder
{
    public string Name => "berth";

    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(2);

    private string Berth(params string[] args)
    {
        string[] argv = ["--root", root, .. args];
        var result = BerthCli.Run(argv, timeout: Limit);
        Assert.True(result.ExitCode == 0, $"{BerthCli.Show(argv)}: {result}");
        return result.Stdout;
    }

    public Task<string> LoadAsync(string archive, string name)
    {
        Berth("load", "-q", "-i", archive);
        return Task.FromResult(Berth("image", "inspect", "-f", "{{.Id}}", name).Trim());
    }

    public Task BuildAsync(BuildRequest request)
    {
        List<string> args = ["build", "--progress", "plain", "--network", "none", "-t", request.Tag, "-f", Path.Combine(request.Context, request.Dockerfile)];
        foreach (var (key, value) in request.BuildArgs)
            args.AddRange(["--build-arg", $"{key}={value}"]);
        if (request.Target is { } target)
            args.AddRange(["--target", target]);
        args.Add(request.Context);
        Berth([.. args]);
        return Task.CompletedTask;
    }

    public Task SaveAsync(string tag, string archive)
    {
        Berth("save", "-o", archive, tag);
        return Task.CompletedTask;
    }
}
