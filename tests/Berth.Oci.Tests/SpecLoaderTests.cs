using System.Text;
using System.Text.Json;
using Berth.Errdefs;
using Berth.Oci.Runtime;

namespace Berth.Oci.Tests;

public sealed class SpecLoaderTests
{
    private const string Minimal = """
        {"ociVersion":"1.0.2-dev","root":{"path":"rootfs"},"process":{"args":["sh"],"cwd":"/","user":{"uid":0,"gid":0}}}
        """;

    [Theory]
    [InlineData("1.0.0", true)]
    [InlineData("1.0.2-dev", true)]
    [InlineData("1.1.0", true)]
    [InlineData("1.2.0", true)]
    [InlineData("1.2.1+build", true)]
    [InlineData("1.3.0", false)]
    [InlineData("1.10.0", false)]
    [InlineData("2.0.0", false)]
    [InlineData("0.9.0", false)]
    [InlineData("1.0", false)]
    [InlineData("", false)]
    [InlineData("one.two.three", false)]
    public void Versions_are_compared_as_numbers(string version, bool supported) =>
        Assert.Equal(supported, SpecVersion.IsSupported(version));

    [Fact]
    public void Minimal_config_parses()
    {
        var spec = SpecLoader.Parse(Encoding.UTF8.GetBytes(Minimal));
        Assert.Equal("rootfs", spec.Root!.Path);
        Assert.Equal(["sh"], spec.Process!.Args);
    }

    [Fact]
    public void Unknown_version_is_rejected_with_its_value()
    {
        var json = Minimal.Replace("1.0.2-dev", "3.0.0");
        var e = Assert.Throws<BerthException>(() => SpecLoader.Parse(Encoding.UTF8.GetBytes(json)));
        Assert.Equal(ErrorKind.InvalidArgument, e.Kind);
        Assert.Contains("`3.0.0`", e.Message);
    }

    [Fact]
    public void Bad_field_type_names_the_json_path()
    {
        var json = Minimal.Replace("\"uid\":0", "\"uid\":\"root\"");
        var e = Assert.Throws<BerthException>(() => SpecLoader.Parse(Encoding.UTF8.GetBytes(json)));
        Assert.Equal(ErrorKind.InvalidArgument, e.Kind);
        Assert.Contains("$.process.user.uid", e.Message);
    }

    [Fact]
    public void Unknown_namespace_is_rejected()
    {
        var json = Minimal.Replace("\"root\":", "\"linux\":{\"namespaces\":[{\"type\":\"bogus\"}]},\"root\":");
        var e = Assert.Throws<BerthException>(() => SpecLoader.Parse(Encoding.UTF8.GetBytes(json)));
        Assert.Contains("`bogus`", e.Message);
    }

    [Fact]
    public void Truncated_json_is_rejected()
    {
        var e = Assert.Throws<BerthException>(() => SpecLoader.Parse(Encoding.UTF8.GetBytes(Minimal[..40])));
        Assert.Equal(ErrorKind.InvalidArgument, e.Kind);
    }

    [Fact]
    public void Spec_round_trips_with_spec_names()
    {
        var spec = new Spec
        {
            OciVersion = "1.2.0",
            Root = new Root { Path = "rootfs", Readonly = true },
            Linux = new Linux
            {
                CgroupsPath = "/x",
                UidMappings = [new LinuxIdMapping { ContainerID = 0, HostID = 1000, Size = 1 }],
                Resources = new LinuxResources { Memory = new LinuxMemory { Limit = 1 << 20, DisableOOMKiller = false } },
            },
        };
        var json = JsonSerializer.Serialize(spec, RuntimeJsonContext.Default.Spec);
        Assert.Contains("\"ociVersion\"", json);
        Assert.Contains("\"containerID\"", json);
        Assert.Contains("\"hostID\"", json);
        Assert.Contains("\"cgroupsPath\"", json);
        Assert.Contains("\"disableOOMKiller\"", json);
        var back = JsonSerializer.Deserialize(json, RuntimeJsonContext.Default.Spec)!;
        Assert.Equal(spec.Linux.Resources.Memory.Limit, back.Linux!.Resources!.Memory!.Limit);
        Assert.Equal(1000u, back.Linux.UidMappings![0].HostID);
    }
}
