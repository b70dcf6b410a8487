using Berth.Distribution.Client.Hosts;
using Berth.Errdefs;

namespace Berth.Distribution.Tests.Client;

public sealed class RegistryHostsTests
{
    [Fact]
    public void DockerHubGoesToRegistry1AfterItsMirrors()
    {
        var hosts = new RegistryHosts(new RegistriesConfig { RegistryMirrors = ["https://mirror.one", "http://127.0.0.1:5001"] });
        var endpoints = hosts.ForPull("docker.io");
        Assert.Equal(["https://mirror.one", "http://127.0.0.1:5001", "https://registry-1.docker.io"], endpoints.Select(e => e.ToString()));
        Assert.True(endpoints[0].Mirror);
        Assert.False(endpoints[2].Mirror);
        Assert.True(endpoints[1].Insecure);
        Assert.False(endpoints[2].Insecure);
        Assert.Equal("registry-1.docker.io", hosts.ForPush("docker.io").Host);
    }

    [Fact]
    public void MirrorsPerRegistryAndADefaultRegistry()
    {
        var hosts = new RegistryHosts(new RegistriesConfig
        {
            Mirrors = new Dictionary<string, IReadOnlyList<string>> { ["quay.io"] = ["mirror.example:8443"] },
            DefaultRegistry = "registry.example.com",
        });
        Assert.Equal(["mirror.example:8443", "quay.io"], hosts.ForPull("quay.io").Select(e => e.Host));
        Assert.Equal(["registry.example.com"], hosts.ForPull("docker.io").Select(e => e.Host));
        Assert.Equal(["ghcr.io"], hosts.ForPull("ghcr.io").Select(e => e.Host));
    }

    [Theory]
    [InlineData("localhost:5000", true)]
    [InlineData("127.0.0.1:5000", true)]
    [InlineData("127.8.9.10", true)]
    [InlineData("[::1]:5000", true)]
    [InlineData("myreg:5000", true)]
    [InlineData("other.example", true)]
    [InlineData("myreg:5001", false)]
    [InlineData("registry.example.com", false)]
    public void LoopbackAndListedRegistriesAreInsecure(string host, bool insecure)
    {
        var hosts = new RegistryHosts(new RegistriesConfig { InsecureRegistries = ["myreg:5000", "http://other.example/"] });
        Assert.Equal(insecure, hosts.IsInsecure(host));
    }

    [Fact]
    public void ABadMirrorIsAClearError()
    {
        var hosts = new RegistryHosts(new RegistriesConfig { RegistryMirrors = ["ftp://x"] });
        Assert.Contains("registry mirror `ftp://x`", Assert.Throws<BerthException>(() => hosts.ForPull("docker.io")).Message);
    }

    [Fact]
    public void ReadsTheFileAndRejectsBadJson()
    {
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, """{ "registry-mirrors": ["https://m"], "insecure-registries": ["a:1"], /* comment */ "certs-dir": "/x", }""");
            var config = RegistriesConfig.Load(path);
            Assert.Equal(["https://m"], config.RegistryMirrors);
            Assert.Equal("/x", config.CertsDir);
            File.WriteAllText(path, """{ "registry-mirrors": "not a list" }""");
            Assert.Contains("read registries config", Assert.Throws<BerthException>(() => RegistriesConfig.Load(path)).Message);
            Assert.Same(RegistriesConfig.Empty, RegistriesConfig.Load(path + ".missing"));
        }
        finally
        {
            File.Delete(path);
        }
    }
}
