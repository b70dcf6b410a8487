using Berth.Errdefs;
using Berth.Images.Mutate;
using Berth.Oci.Image;

namespace Berth.Images.Tests.Mutate;

public sealed class ConfigChangesTests
{
    [Fact]
    public void EveryInstructionDockerAccepts()
    {
        var config = ConfigChanges.Apply(new ContainerConfig { Cmd = ["old"], Env = ["A=0"] },
        [
            "entrypoint [\"/bin/app\", \"-v\"]",
            "ENV A=1 B=\"two words\"",
            "ENV C three words",
            "EXPOSE 80 53/udp 8000-8001",
            "LABEL version=1.0 \"x y\"=z",
            "ONBUILD run echo hi",
            "USER nobody",
            "VOLUME [\"/data\"]",
            "VOLUME /logs /cache",
            "WORKDIR /srv",
            "WORKDIR app/../www",
            "HEALTHCHECK --interval=1m30s --retries=3 CMD curl -f http://localhost/",
        ]);
        Assert.Equal(["/bin/app", "-v"], config.Entrypoint);
        Assert.Null(config.Cmd); // ENTRYPOINT clears a CMD it did not set
        Assert.Equal(["A=1", "B=two words", "C=three words"], config.Env);
        Assert.Equal(["53/udp", "80/tcp", "8000/tcp", "8001/tcp"], config.ExposedPorts);
        Assert.Equal("1.0", config.Labels!["version"]);
        Assert.Equal("z", config.Labels!["x y"]);
        Assert.Equal(["RUN echo hi"], config.OnBuild);
        Assert.Equal("nobody", config.User);
        Assert.Equal(["/cache", "/data", "/logs"], config.Volumes);
        Assert.Equal("/srv/www", config.WorkingDir);
        Assert.Equal(["CMD-SHELL", "curl -f http://localhost/"], config.Healthcheck!.Test);
        Assert.Equal(90_000_000_000, config.Healthcheck.Interval);
        Assert.Equal(3, config.Healthcheck.Retries);
    }

    [Fact]
    public void ShellAndJsonForms()
    {
        Assert.Equal(["/bin/sh", "-c", "echo $HOME"], ConfigChanges.Apply(null, ["CMD echo $HOME"]).Cmd);
        Assert.Equal(["a", "b c"], ConfigChanges.Apply(null, ["CMD [\"a\",\"b c\"]"]).Cmd);
        Assert.Equal(["/bin/sh", "-c", "[not json"], ConfigChanges.Apply(null, ["CMD [not json"]).Cmd);
        var both = ConfigChanges.Apply(null, ["CMD [\"x\"]", "ENTRYPOINT [\"e\"]"]);
        Assert.Equal(["x"], both.Cmd); // set by the same changes: kept
        Assert.Equal(["NONE"], ConfigChanges.Apply(null, ["HEALTHCHECK NONE"]).Healthcheck!.Test);
        Assert.Equal(["CMD", "true"], ConfigChanges.Apply(null, ["HEALTHCHECK CMD [\"true\"]"]).Healthcheck!.Test);
    }

    [Theory]
    [InlineData("RUN ls", "not a valid change command")]
    [InlineData("FROM busybox", "not a valid change command")]
    [InlineData("STOPSIGNAL SIGKILL", "not a valid change command")]
    [InlineData("", "not a valid change command")]
    [InlineData("CMD", "requires at least one argument")]
    [InlineData("EXPOSE 99999", "invalid port")]
    [InlineData("EXPOSE 80/icmp", "invalid proto")]
    [InlineData("ENV A=\"open", "unterminated double quote")]
    [InlineData("ONBUILD FROM x", "isn't allowed as an ONBUILD trigger")]
    [InlineData("HEALTHCHECK --interval=5 CMD true", "invalid duration")]
    [InlineData("HEALTHCHECK --bogus=1 CMD true", "unknown HEALTHCHECK flag")]
    [InlineData("ENV =x", "names can not be blank")]
    public void BadChangesAreInvalidArgument(string change, string message)
    {
        var e = Assert.Throws<BerthException>(() => ConfigChanges.Apply(null, [change]));
        Assert.Equal(ErrorKind.InvalidArgument, e.Kind);
        Assert.Contains(message, e.Message);
        Assert.StartsWith("apply change `", e.Message);
    }
}
