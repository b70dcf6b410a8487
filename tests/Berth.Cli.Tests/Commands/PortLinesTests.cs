using Berth.Cli.Commands;
using Berth.Engine.Model;
using Berth.Errdefs;

namespace Berth.Cli.Tests.Commands;

public sealed class PortLinesTests
{
    private static readonly Dictionary<string, IReadOnlyList<PortBinding>> Bindings = new()
    {
        ["8443/tcp"] = [new PortBinding { HostIp = "127.0.0.1", HostPort = "443" }],
        ["80/tcp"] = [new PortBinding { HostPort = "8080" }, new PortBinding { HostIp = "::1", HostPort = "8081" }],
        ["53/udp"] = [new PortBinding { HostPort = "5353" }],
    };

    [Fact]
    public void AllMappingsSortedByPort() => Assert.Equal(
        ["53/udp -> 0.0.0.0:5353", "80/tcp -> 0.0.0.0:8080", "80/tcp -> [::1]:8081", "8443/tcp -> 127.0.0.1:443"],
        PortCommand.Lines(Bindings, null, "web"));

    [Theory]
    [InlineData("80", new[] { "0.0.0.0:8080", "[::1]:8081" })]
    [InlineData("80/tcp", new[] { "0.0.0.0:8080", "[::1]:8081" })]
    [InlineData("53/udp", new[] { "0.0.0.0:5353" })]
    public void OnePort(string port, string[] expected) => Assert.Equal(expected, PortCommand.Lines(Bindings, port, "web"));

    [Fact]
    public void UnpublishedPortIsDockersError()
    {
        var e = Assert.Throws<BerthException>(() => PortCommand.Lines(Bindings, "53", "web"));
        Assert.Equal("No public port '53/tcp' published for web", e.Message);
    }

    [Fact]
    public void NoBindingsNoLines() => Assert.Empty(PortCommand.Lines(null, null, "web"));
}
