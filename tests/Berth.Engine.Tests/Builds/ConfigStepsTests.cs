using Berth.Build.Instructions;
using Berth.Build.Parser;
using Berth.Engine.Builds;
using Berth.Errdefs;
using Berth.Oci.Image;

namespace Berth.Engine.Tests.Builds;

/// <summary>Docker's rules for the instructions that change only the config.</summary>
public sealed class ConfigStepsTests
{
    private static readonly SourcePosition At = new(1, 1);

    private static ImageConfig Image(ContainerConfig? c = null) => new() { Config = c ?? new ContainerConfig() };

    private static ContainerConfig Apply(ContainerConfig start, Instruction instruction, bool cmdSet = false) =>
        ConfigSteps.Apply(Image(start), instruction, cmdSet).Config!;

    [Fact]
    public void EnvReplacesInPlaceAndAppendsNewKeys()
    {
        var c = Apply(new ContainerConfig { Env = ["PATH=/bin", "A=1"] }, new EnvInstruction(At, [new KeyValue("A", "2"), new KeyValue("B", "x y")]));
        Assert.Equal(["PATH=/bin", "A=2", "B=x y"], c.Env);
    }

    [Fact]
    public void ShellFormCmdAndEntrypointRunUnderTheStageShell()
    {
        var shell = Apply(new ContainerConfig(), new ShellInstruction(At, ["/bin/bash", "-ec"]));
        var cmd = Apply(shell, new CmdInstruction(At, new CommandLine(["echo hi"], PrependShell: true)));
        Assert.Equal(["/bin/bash", "-ec", "echo hi"], cmd.Cmd);
        var exec = Apply(new ContainerConfig(), new CmdInstruction(At, new CommandLine(["echo", "hi"], PrependShell: false)));
        Assert.Equal(["echo", "hi"], exec.Cmd);
        Assert.Equal(["/bin/sh", "-c", "x"], Apply(new ContainerConfig(), new EntrypointInstruction(At, new CommandLine(["x"], true))).Entrypoint);
    }

    [Fact]
    public void EntrypointResetsAnInheritedCmdButKeepsOneSetInThisStage()
    {
        var inherited = new ContainerConfig { Cmd = ["sh"] };
        var ep = new EntrypointInstruction(At, new CommandLine(["/app"], false));
        Assert.Null(Apply(inherited, ep, cmdSet: false).Cmd);
        Assert.Equal(["sh"], Apply(inherited, ep, cmdSet: true).Cmd);
    }

    [Theory]
    [InlineData("80", "80/tcp")]
    [InlineData("53/UDP", "53/udp")]
    [InlineData("8000-8002", "8000/tcp,8001/tcp,8002/tcp")]
    public void ExposeNormalisesPortsAndExpandsRanges(string spec, string expected) =>
        Assert.Equal(expected.Split(','), ConfigSteps.ExpandPort(spec));

    [Theory]
    [InlineData("80/icmp", "invalid proto: icmp")]
    [InlineData("x", "invalid containerPort: x")]
    [InlineData("9-3", "invalid range specified for container port: 9-3")]
    public void ExposeRejectsBadSpecs(string spec, string message) =>
        Assert.Equal(message, Assert.Throws<BerthException>(() => ConfigSteps.ExpandPort(spec).ToList()).Message);

    [Fact]
    public void HealthcheckTakesGoDurationsAndNone()
    {
        var h = Apply(new ContainerConfig(), new HealthcheckInstruction(At, new CommandLine(["curl -f localhost"], true), "1m30s", "3s", null, null, 4)).Healthcheck!;
        Assert.Equal(["CMD-SHELL", "curl -f localhost"], h.Test);
        Assert.Equal(90_000_000_000L, h.Interval);
        Assert.Equal(3_000_000_000L, h.Timeout);
        Assert.Equal(4, h.Retries);
        Assert.Null(h.StartPeriod);
        Assert.Equal(["NONE"], Apply(new ContainerConfig(), new HealthcheckInstruction(At, null, null, null, null, null, null)).Healthcheck!.Test);
        Assert.Throws<BerthException>(() => Apply(new ContainerConfig(), new HealthcheckInstruction(At, new CommandLine(["x"], false), "10us", null, null, null, null)));
    }

    [Fact]
    public void LabelsMergeVolumesAndPortsUnionOnBuildAppendsMaintainerIsAuthor()
    {
        var c = Apply(new ContainerConfig { Labels = new Dictionary<string, string> { ["a"] = "1" }, Volumes = ["/data"] },
            new LabelInstruction(At, [new KeyValue("a", "2"), new KeyValue("b", "3")]));
        Assert.Equal("2", c.Labels!["a"]);
        Assert.Equal("3", c.Labels["b"]);
        Assert.Equal(["/data", "/logs"], Apply(c, new VolumeInstruction(At, ["/logs", "/data"])).Volumes);
        Assert.Equal(["RUN a", "COPY b /b"], ConfigSteps.Apply(ConfigSteps.Apply(Image(), new OnBuildInstruction(At, new RunInstruction(At, new CommandLine(["a"], true), [], null, null, [])), false, "RUN a"),
            new OnBuildInstruction(At, new RunInstruction(At, new CommandLine(["b"], true), [], null, null, [])), false, "COPY b /b").Config!.OnBuild);
        Assert.Equal("me <me@x>", ConfigSteps.Apply(Image(), new MaintainerInstruction(At, "me <me@x>"), false).Author);
    }

    [Theory]
    [InlineData(null, "/app", "/app")]
    [InlineData("/app", "src", "/app/src")]
    [InlineData("/app/src", "../lib/./x", "/app/lib/x")]
    [InlineData("/a", "/b", "/b")]
    [InlineData("", "rel", "/rel")]
    public void WorkdirJoinsRelativePaths(string? current, string path, string expected) =>
        Assert.Equal(expected, BuildRun.JoinWorkdir(current, path));

    [Theory]
    [InlineData("30s", 30_000_000_000L)]
    [InlineData("1.5h", 5_400_000_000_000L)]
    [InlineData("300ms", 300_000_000L)]
    [InlineData("1m30s", 90_000_000_000L)]
    [InlineData("0", 0L)]
    public void GoDurations(string text, long nanos) => Assert.Equal(nanos, GoDuration.Parse(text));

    [Theory]
    [InlineData("10")]
    [InlineData("1x")]
    [InlineData("")]
    public void BadGoDurations(string text) => Assert.Throws<BerthException>(() => GoDuration.Parse(text));
}
