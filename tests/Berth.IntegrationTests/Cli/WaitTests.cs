namespace Berth.IntegrationTests.Cli;

/// <summary>`berth wait`, `attach`, `rename` and `port`: the small verbs on real containers.</summary>
public sealed class WaitTests(BerthFixture berth) : IClassFixture<BerthFixture>
{
    private static string Unique(string prefix) => prefix + "-" + Guid.NewGuid().ToString("N")[..8];

    [BerthFact]
    public void WaitPrintsEachExitCode()
    {
        var a = Unique("wa");
        var b = Unique("wb");
        berth.Ok("run", "-d", "--name", a, BerthFixture.Image, "sh", "-c", "sleep 1; exit 5");
        berth.Ok("run", "-d", "--name", b, BerthFixture.Image, "true");
        Assert.Equal("5\n0\n", berth.Ok("wait", a, b));
        var missing = berth.Run("wait", a, "nope-" + a);
        Assert.Equal(1, missing.ExitCode);
        Assert.Equal("5\n", missing.Stdout);
        Assert.Equal($"Error: No such container: nope-{a}\n", missing.Stderr);
        berth.Ok("rm", a, b);
    }

    [BerthFact]
    public void AttachFollowsOutputAndExitsWithTheContainersCode()
    {
        var name = Unique("att");
        berth.Ok("run", "-d", "--name", name, BerthFixture.Image, "sh", "-c", "sleep 2; echo hello; exit 7");
        var attached = berth.Run("attach", name);
        Assert.Equal(7, attached.ExitCode);
        Assert.Equal("hello\n", attached.Stdout);
        var stopped = berth.Run("attach", name);
        Assert.Equal(1, stopped.ExitCode);
        Assert.Equal("Error: You cannot attach to a stopped container, start it first\n", stopped.Stderr);
        berth.Ok("rm", name);
    }

    [BerthFact]
    public void RenameAndPort()
    {
        var name = Unique("ren");
        var other = Unique("oth");
        berth.Ok("create", "--name", name, "-p", "127.0.0.1:8080:80", "-p", "5353:53/udp", BerthFixture.Image, "true");
        berth.Ok("create", "--name", other, BerthFixture.Image, "true");
        Assert.Equal("53/udp -> 0.0.0.0:5353\n80/tcp -> 127.0.0.1:8080\n", berth.Ok("port", name));
        Assert.Equal("127.0.0.1:8080\n", berth.Ok("port", name, "80"));
        var unpublished = berth.Run("port", name, "81");
        Assert.Equal(1, unpublished.ExitCode);
        Assert.Equal($"Error: No public port '81/tcp' published for {name}\n", unpublished.Stderr);
        Assert.Equal("", berth.Ok("rename", name, name + "x"));
        Assert.Equal($"/{name}x\n", berth.Ok("inspect", "-f", "{{.Name}}", name + "x"));
        var taken = berth.Run("rename", name + "x", other);
        Assert.Equal(1, taken.ExitCode);
        Assert.Contains($"The container name \"/{other}\" is already in use", taken.Stderr);
        berth.Ok("rm", name + "x", other);
    }
}
