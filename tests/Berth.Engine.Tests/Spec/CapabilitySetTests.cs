using Berth.Engine.Spec;
using Berth.Errdefs;

namespace Berth.Engine.Tests.Spec;

public sealed class CapabilitySetTests
{
    [Fact]
    public void Default_is_dockers_14()
    {
        var caps = CapabilitySet.Resolve(null, null, false);
        Assert.Equal(14, caps.Count);
        Assert.Equal("CAP_CHOWN", caps[0]);
        Assert.Equal("CAP_AUDIT_WRITE", caps[^1]);
    }

    [Theory]
    [InlineData("sys_admin", "", "+CAP_SYS_ADMIN")]
    [InlineData("CAP_NET_ADMIN", "net_raw", "+CAP_NET_ADMIN -CAP_NET_RAW")]
    [InlineData("", "ALL", "=")]
    [InlineData("chown", "all", "=CAP_CHOWN")]
    [InlineData("Kill", "", "")]                      // already present: unchanged
    public void Add_and_drop(string add, string drop, string expected)
    {
        var caps = CapabilitySet.Resolve(Split(add), Split(drop), false);
        if (expected.StartsWith('='))
        {
            Assert.Equal(Split(expected[1..]), caps);
            return;
        }
        var want = CapabilitySet.Default.ToList();
        foreach (var change in Split(expected))
        {
            if (change[0] == '+')
                want.Add(change[1..]);
            else
                want.Remove(change[1..]);
        }
        Assert.Equal(want.Order(), caps.Order());
    }

    [Fact]
    public void Add_all_minus_drops_and_privileged_is_all()
    {
        var caps = CapabilitySet.Resolve(["ALL"], ["MKNOD"], false);
        Assert.Contains("CAP_SYS_ADMIN", caps);
        Assert.DoesNotContain("CAP_MKNOD", caps);
        Assert.Equal(CapabilitySet.All.Count - 1, caps.Count);
        Assert.Equal(CapabilitySet.All, CapabilitySet.Resolve(null, ["ALL"], true));
    }

    [Theory]
    [InlineData("foo", "unknown capability: \"CAP_FOO\"")]
    [InlineData("cap_bogus", "unknown capability: \"CAP_BOGUS\"")]
    public void Unknown_is_invalid_argument_naming_it(string add, string message)
    {
        var e = Assert.Throws<BerthException>(() => CapabilitySet.Resolve([add], null, false));
        Assert.Equal(ErrorKind.InvalidArgument, e.Kind);
        Assert.Equal(message, e.Message);
    }

    private static string[] Split(string s) => s.Split(' ', StringSplitOptions.RemoveEmptyEntries);
}
