using Berth.Engine.Spec;
using Berth.Errdefs;

namespace Berth.Engine.Tests.Spec;

public sealed class NetworkFilesTests
{
    private const string SystemdResolved = "# managed\nnameserver 127.0.0.53\noptions edns0 trust-ad\nsearch lan\n";

    [Fact]
    public void Loopback_nameservers_fall_back_to_google()
    {
        Assert.Equal(
            "nameserver 8.8.8.8\nnameserver 8.8.4.4\nsearch lan\noptions edns0 trust-ad\n",
            NetworkFiles.ResolvConf(SystemdResolved, false, null, null, null));
    }

    [Fact]
    public void Reachable_host_nameservers_are_kept_ipv6_dropped()
    {
        Assert.Equal(
            "nameserver 10.0.0.2\n",
            NetworkFiles.ResolvConf("nameserver 127.0.0.1\nnameserver 10.0.0.2\nnameserver ::1\nnameserver fd00::1\n", false, null, null, null));
    }

    [Fact]
    public void Overrides_replace_each_part()
    {
        Assert.Equal(
            "nameserver 1.1.1.1\nsearch example.com\noptions ndots:2\n",
            NetworkFiles.ResolvConf(SystemdResolved, false, ["1.1.1.1"], ["example.com"], ["ndots:2"]));
        Assert.Equal(
            "nameserver 8.8.8.8\nnameserver 8.8.4.4\noptions edns0 trust-ad\n",
            NetworkFiles.ResolvConf(SystemdResolved, false, null, ["."], null));
    }

    [Fact]
    public void Host_network_uses_host_file_as_is()
    {
        Assert.Equal(SystemdResolved, NetworkFiles.ResolvConf(SystemdResolved, true, null, null, null));
    }

    [Fact]
    public void Hosts_defaults_and_add_host()
    {
        var hosts = NetworkFiles.Hosts(false, "ignored", ["db:10.0.0.5", "v6=fd00::1", "old:[::2]"], null);
        Assert.Equal(
            "127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\nfe00::0\tip6-localnet\n"
            + "ff00::0\tip6-mcastprefix\nff02::1\tip6-allnodes\nff02::2\tip6-allrouters\n"
            + "10.0.0.5\tdb\nfd00::1\tv6\n::2\told\n",
            hosts);
        Assert.Equal("127.0.0.1 me\n10.0.0.5\tdb\n", NetworkFiles.Hosts(true, "127.0.0.1 me", ["db:10.0.0.5"], null));
    }

    [Theory]
    [InlineData("db:nope", "invalid IP address in add-host: \"nope\"")]
    [InlineData("noseparator", "bad format for add-host: \"noseparator\"")]
    public void Bad_add_host(string entry, string message)
    {
        var e = Assert.Throws<BerthException>(() => NetworkFiles.Hosts(false, null, [entry], null));
        Assert.Equal(message, e.Message);
    }
}
