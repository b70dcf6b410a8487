using Berth.Runtime.IntegrationTests.Harness;
using Xunit.Abstractions;

namespace Berth.Runtime.IntegrationTests.Tests;

/// <summary>config-linux.md "Namespaces": new ones by default, existing ones joined by path.</summary>
[Collection(LifecycleCollection.Name)]
public sealed class NamespaceTests(SuiteFixture suite, ITestOutputHelper output) : RuntimeTest(suite, output)
{
    [Fact]
    public void NewNamespaces_DifferFromTheHosts()
    {
        string[] kinds = ["pid", "net", "ipc", "uts", "mnt"];
        var inside = ScriptOutput(string.Join("; ", kinds.Select(k => $"readlink /proc/self/ns/{k}")));
        var host = string.Concat(kinds.Select(k => HostCommand.Run("readlink", $"/proc/self/ns/{k}")));
        var pairs = inside.Split('\n', StringSplitOptions.RemoveEmptyEntries).Zip(host.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.All(pairs, p => Assert.NotEqual(p.Second, p.First));
    }

    [Fact]
    public void WithoutANetworkNamespace_TheHostsIsShared()
    {
        var inside = ScriptOutput("readlink /proc/self/ns/net", s => s.WithoutNamespace("network"));
        Assert.Equal(HostCommand.Run("readlink", "/proc/self/ns/net"), inside);
    }

    [Fact]
    public void NetworkNamespace_JoinedByPath_IsTheOneGiven()
    {
        var name = "berth-" + Guid.NewGuid().ToString("N")[..10];
        HostCommand.Run("ip", "netns", "add", name);
        OnCleanup(() => HostCommand.Run("ip", "netns", "delete", name));
        HostCommand.Run("ip", "-n", name, "link", "set", "lo", "up");
        HostCommand.Run("ip", "-n", name, "addr", "add", "10.123.45.67/32", "dev", "lo");

        var text = ScriptOutput("readlink /proc/self/ns/net; ip addr show lo",
            s => s.Namespace("network", $"/var/run/netns/{name}"));
        var inode = HostCommand.Run("stat", "-L", "-c", "%i", $"/run/netns/{name}").Trim();
        Assert.StartsWith($"net:[{inode}]\n", text);
        Assert.Contains("inet 10.123.45.67/32", text);
    }

    [Fact]
    public void UtsNamespace_OfAnotherContainer_IsShared()
    {
        var first = NewContainer(s => s.Hostname("alpha-box").Args("sleep", "100"));
        first.CreateAndStart();
        var pid = first.State().Pid;
        var text = ScriptOutput("hostname; readlink /proc/self/ns/uts",
            s => s.Hostname(null).Namespace("uts", $"/proc/{pid}/ns/uts"));
        Assert.Equal($"alpha-box\n{HostCommand.Run("readlink", $"/proc/{pid}/ns/uts")}", text);
    }

    [Fact]
    public void IpcNamespace_IsPrivate()
    {
        // A System V message queue made on the host is invisible in a new IPC namespace.
        var text = ScriptOutput("wc -l < /proc/sysvipc/msg");
        Assert.Equal("1", text.Trim()); // only the header line
    }

    [Fact]
    public void JoiningANonexistentNamespacePath_Fails_AndLeavesNothing()
    {
        var c = NewContainer(s => s.Args("true").Namespace("network", "/var/run/netns/berth-does-not-exist"));
        c.Create().AssertFailure();
        AssertNothingLeft(c);
    }
}
