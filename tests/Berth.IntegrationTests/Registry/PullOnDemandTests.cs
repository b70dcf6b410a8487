namespace Berth.IntegrationTests.Registry;

/// <summary>run, create and build pull the images the store lacks, as docker does.</summary>
public sealed class PullOnDemandTests
{
    [RegistryFact]
    public void RunCreateAndBuildPullWhatIsMissing()
    {
        using var registry = new RegistryServer();
        using var cli = new RegistryCli();
        var source = cli.BootstrappedRoot();
        var name = $"{registry.Host}/lib/busybox:1";
        cli.Ok(source, "tag", "busybox", name);
        cli.Ok(source, "push", name);

        var root = cli.NewRoot();
        var run = cli.Run(root, "run", "--rm", name, "echo", "hi");
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal("hi\n", run.Stdout);
        Assert.StartsWith($"Unable to find image '{name}' locally\n", run.Stderr);
        Assert.Contains($"Status: Downloaded newer image for {name}", run.Stderr);
        var again = cli.Run(root, "run", "--rm", name, "true");
        Assert.Equal(0, again.ExitCode);
        Assert.DoesNotContain("Unable to find image", again.Stderr);

        var never = cli.Run(root, "create", "--pull", "never", $"{registry.Host}/lib/absent:1");
        Assert.Equal(125, never.ExitCode);
        Assert.Contains($"No such image: {registry.Host}/lib/absent:1", never.Stderr);
        var missing = cli.Run(root, "create", $"{registry.Host}/lib/absent:1");
        Assert.Equal(125, missing.ExitCode);
        Assert.Contains($"manifest for {registry.Host}/lib/absent:1 not found", missing.Stderr);

        var createRoot = cli.NewRoot();
        var created = cli.Run(createRoot, "create", name);
        Assert.True(created.ExitCode == 0, created.ToString());
        Assert.Matches("^[0-9a-f]{64}\n$", created.Stdout);
        Assert.Contains($"Unable to find image '{name}' locally", created.Stderr);
        cli.Ok(createRoot, "rm", created.Stdout.Trim());

        var context = Path.Combine(cli.Home, "ctx");
        Directory.CreateDirectory(context);
        File.WriteAllText(Path.Combine(context, "Dockerfile"), $"FROM {name}\nCOPY f /f\n");
        File.WriteAllText(Path.Combine(context, "f"), "from the context\n");
        var buildRoot = cli.NewRoot();
        var build = cli.Run(buildRoot, "build", "--progress", "plain", "-t", "built:1", context);
        Assert.True(build.ExitCode == 0, build.ToString());
        Assert.Contains("built:1", cli.Ok(buildRoot, "images", "--format", "{{.Repository}}:{{.Tag}}"));
        Assert.Contains(name, cli.Ok(buildRoot, "images", "--format", "{{.Repository}}:{{.Tag}}"));
        var pulled = cli.Run(buildRoot, "build", "--pull", "--progress", "plain", "-t", "built:2", context);
        Assert.True(pulled.ExitCode == 0, pulled.ToString());
        // --pull asks the registry even though the store has the image.
        Assert.Contains("1: Pulling from lib/busybox", pulled.Stderr + pulled.Stdout);
        Assert.DoesNotContain("Pulling from", cli.Run(buildRoot, "build", "--progress", "plain", "-t", "built:3", context).Stderr);
    }
}
