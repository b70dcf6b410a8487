using Berth.Engine.Model;
using Berth.Engine.Spec;
using Berth.Errdefs;
using Berth.Oci.Image;

namespace Berth.Engine.Tests.Spec;

public sealed class CommandLineTests
{
    private static readonly ContainerConfig Image = new() { Entrypoint = ["/entry.sh"], Cmd = ["serve", "--port=80"] };

    public static TheoryData<string?, string?, string> Cases => new()
    {
        // container Entrypoint, container Cmd ("|"-separated, null = unset), expected argv
        { null, null, "/entry.sh serve --port=80" },
        { null, "sh -c", "/entry.sh sh -c" },
        { "/bin/echo", null, "/bin/echo" },            // image Cmd dropped when Entrypoint is overridden
        { "/bin/echo", "hi", "/bin/echo hi" },
        { "", "ls -l", "ls -l" },                      // --entrypoint "" clears
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Resolves_like_docker(string? entrypoint, string? cmd, string expected)
    {
        var config = new Config
        {
            Entrypoint = entrypoint is null ? null : entrypoint.Length == 0 ? [""] : entrypoint.Split(' '),
            Cmd = cmd?.Split(' '),
        };
        var (path, args) = CommandLine.Resolve(config, Image);
        Assert.Equal(expected, string.Join(' ', [path, .. args]));
    }

    [Fact]
    public void Empty_entrypoint_list_clears_too()
    {
        var (path, args) = CommandLine.Resolve(new Config { Entrypoint = [], Cmd = ["true"] }, Image);
        Assert.Equal("true", path);
        Assert.Empty(args);
    }

    [Fact]
    public void Image_cmd_alone_runs()
    {
        var (path, args) = CommandLine.Resolve(new Config(), new ContainerConfig { Cmd = ["sh"] });
        Assert.Equal("sh", path);
        Assert.Empty(args);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Nothing_to_run_is_docker_error(bool clearedEntrypoint)
    {
        var config = clearedEntrypoint ? new Config { Entrypoint = [""] } : new Config();
        var image = clearedEntrypoint ? Image : new ContainerConfig();
        var e = Assert.Throws<BerthException>(() => CommandLine.Resolve(config, image));
        Assert.Equal(ErrorKind.InvalidArgument, e.Kind);
        Assert.Equal("no command specified", e.Message);
    }
}
