using System.Text.Json;

namespace Berth.IntegrationTests.Cli;

/// <summary>`berth inspect`: docker's container JSON (cap-03's fields), templates, the image fallback and its errors.</summary>
public sealed class InspectTests(BerthFixture berth) : IClassFixture<BerthFixture>
{
    [BerthFact]
    public void ContainerJsonHasDockersShape()
    {
        var name = "insp-" + Guid.NewGuid().ToString("N")[..8];
        var id = berth.Ok("run", "-d", "--name", name, "-p", "8080:80", "-e", "A=1", BerthFixture.Image, "sleep", "1000").Trim();
        var text = berth.Ok("inspect", name);
        Assert.StartsWith("[\n    {\n        \"Id\": ", text);
        using var doc = JsonDocument.Parse(text);
        var c = doc.RootElement.EnumerateArray().Single();
        Assert.Equal(id, c.GetProperty("Id").GetString());
        Assert.Equal("/" + name, c.GetProperty("Name").GetString());
        Assert.Equal("sleep", c.GetProperty("Path").GetString());
        Assert.Equal("running", c.GetProperty("State").GetProperty("Status").GetString());
        Assert.True(c.GetProperty("State").GetProperty("Pid").GetInt32() > 0);
        Assert.Equal("0001-01-01T00:00:00Z", c.GetProperty("State").GetProperty("FinishedAt").GetString());
        Assert.StartsWith("sha256:", c.GetProperty("Image").GetString());
        Assert.Equal("overlay2", c.GetProperty("GraphDriver").GetProperty("Name").GetString());
        Assert.Equal("8080", c.GetProperty("HostConfig").GetProperty("PortBindings").GetProperty("80/tcp")[0].GetProperty("HostPort").GetString());
        Assert.Contains("A=1", c.GetProperty("Config").GetProperty("Env").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(JsonValueKind.Object, c.GetProperty("NetworkSettings").GetProperty("Ports").ValueKind);
        Assert.Equal($"true /{name} <no value>\n", berth.Ok("inspect", "-f", "{{.State.Running}} {{.Name}} {{.Nope}}", name));
        berth.Ok("rm", "-f", name);
    }

    [BerthFact]
    public void FallsBackToImagesAndReportsTheMissing()
    {
        using var image = JsonDocument.Parse(berth.Ok("inspect", BerthFixture.Image));
        Assert.StartsWith("sha256:", image.RootElement[0].GetProperty("Id").GetString());
        var missing = berth.Run("inspect", "nope-" + Guid.NewGuid().ToString("N")[..6]);
        Assert.Equal(1, missing.ExitCode);
        Assert.Equal("[]\n", missing.Stdout);
        Assert.Matches("^Error: No such object: nope-[0-9a-f]{6}\n$", missing.Stderr);
        var typed = berth.Run("inspect", "--type", "container", BerthFixture.Image);
        Assert.Equal(1, typed.ExitCode);
        Assert.Equal($"Error: No such container: {BerthFixture.Image}\n", typed.Stderr);
    }
}
