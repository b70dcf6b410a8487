namespace Berth.IntegrationTests.Cli;

/// <summary>Bad input to berth's verbs: one clear "Error: …" line, docker's exit code, and nothing left behind.</summary>
public sealed class BadInputTests(BerthFixture berth) : IClassFixture<BerthFixture>
{
    private const string Img = BerthFixture.Image;

    private void Refused(int code, string message, params string[] args)
    {
        var result = berth.Run(args);
        Assert.True(code == result.ExitCode, $"{BerthCli.Show(args)}: {result}");
        Assert.Contains(message, result.Stderr);
        Assert.StartsWith("Error", result.Stderr);
        Assert.Equal("", result.Stdout);
        Assert.Equal("", berth.Ok("ps", "-a", "-q"));
        Assert.Empty(berth.ContainerDirs());
    }

    [BerthFact]
    public void InvalidContainerName() =>
        Refused(125, "Invalid container name (a b), only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed", "run", "--name", "a b", Img, "true");

    [BerthFact]
    public void UnknownImage() => Refused(125, "No such image: nosuch:tag", "run", "--rm", "--pull", "never", "nosuch:tag", "true");

    [BerthFact]
    public void InvalidReference() => Refused(125, "invalid reference format", "run", "--rm", "Busybox", "true");

    [BerthFact]
    public void InvalidMemory() => Refused(125, "abc", "run", "--rm", "--memory", "abc", Img, "true");

    [BerthFact]
    public void InvalidRestartPolicy() => Refused(125, "invalid restart policy", "run", "--restart", "bogus", Img, "true");

    [BerthFact]
    public void InvalidCpus() => Refused(125, "\"x\"", "run", "--rm", "--cpus", "x", Img, "true");

    [BerthFact]
    public void RestartWithRmConflicts() => Refused(125, "conflicting options", "run", "-d", "--rm", "--restart", "always", Img, "true");

    [BerthFact]
    public void UnknownContainer()
    {
        foreach (var verb in new[] { "start", "stop", "kill", "pause", "rm" })
        {
            var result = berth.Run(verb, "no-such-container");
            Assert.True(result.ExitCode == 1, $"{verb}: {result}");
            Assert.Contains("No such container: no-such-container", result.Stderr);
        }
    }

    [BerthFact]
    public void MissingImageArgument()
    {
        var result = berth.Run("run");
        Assert.Equal(125, result.ExitCode);
        Assert.StartsWith("Error", result.Stderr);
    }
}
