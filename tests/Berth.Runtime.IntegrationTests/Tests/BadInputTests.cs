using Berth.Oci.Runtime;
using Berth.Runtime.IntegrationTests.Harness;
using Xunit.Abstractions;

namespace Berth.Runtime.IntegrationTests.Tests;

/// <summary>
/// Bad bundles are refused before anything is made: exit 1, a message on stderr, and no
/// state directory, cgroup or process left behind.
/// </summary>
[Collection(LifecycleCollection.Name)]
public sealed class BadInputTests(SuiteFixture suite, ITestOutputHelper output) : RuntimeTest(suite, output)
{
    [Fact]
    public void MalformedConfig_IsRefused()
    {
        var c = NewContainer();
        c.Bundle.WriteRaw("{\"ociVersion\": \"1.0.2\", \"process\": ");
        AssertRefusedCleanly(c);
    }

    [RuntimeFact(DeviatesOn = "crun", Because = "crun 1.8 accepts `\"args\": 7` (a number where the spec has an array of strings)")]
    public void ConfigOfTheWrongShape_IsRefused()
    {
        var c = NewContainer();
        c.Bundle.WriteRaw(File.ReadAllText(c.Bundle.ConfigPath).Replace("\"args\": [", "\"args\": 7, \"x\": ["));
        AssertRefusedCleanly(c);
    }

    [Fact]
    public void MissingConfig_IsRefused()
    {
        var c = NewContainer();
        File.Delete(c.Bundle.ConfigPath);
        AssertRefusedCleanly(c);
    }

    [RuntimeFact(DeviatesOn = "runc", Because = "runc 1.1.5 does not check ociVersion and creates a container from a 9.0.0 config")]
    public void UnknownMajorVersion_IsRefused()
    {
        var c = NewContainer(s => s.With(x => x with { OciVersion = "9.0.0" }));
        AssertRefusedCleanly(c);
    }

    [Fact]
    public void MissingRootfs_IsRefused()
    {
        var c = NewContainer(s => s.With(x => x with { Root = new Root { Path = "no-such-rootfs" } }));
        AssertRefusedCleanly(c);
    }

    [Fact]
    public void UnknownNamespaceType_IsRefused()
    {
        var c = NewContainer(s => s.Namespace("bogus"));
        AssertRefusedCleanly(c);
    }

    [Fact]
    public void UnknownSeccompAction_IsRefused()
    {
        var c = NewContainer(s => s.Linux(l => l with { Seccomp = SeccompTests.Profile("SCMP_ACT_BOGUS", null, "mkdir") }));
        AssertRefusedCleanly(c);
    }

    [Fact]
    public void UnknownSeccompDefaultAction_IsRefused()
    {
        var c = NewContainer(s => s.Linux(l => l with
        {
            Seccomp = SeccompTests.Profile("SCMP_ACT_ERRNO", 1, "mkdir") with { DefaultAction = "SCMP_ACT_SOMETIMES" },
        }));
        AssertRefusedCleanly(c);
    }

    [Fact]
    public void MissingExecutable_IsRefused_AtCreate()
    {
        var c = NewContainer(s => s.Args("/bin/no-such-program"));
        var create = c.Create();
        Assert.NotEqual(0, create.ExitCode);
        Assert.False(string.IsNullOrWhiteSpace(create.Stderr), "a message on stderr");
        AssertNothingLeft(c);
    }

    [RuntimeFact(DeviatesOn = "crun", Because = "crun 1.8 accepts a relative process.cwd, which config.md says MUST be absolute")]
    public void RelativeCwd_IsRefused()
    {
        var c = NewContainer(s => s.Process(p => p with { Cwd = "relative/dir" }));
        AssertRefusedCleanly(c);
    }

    [Fact]
    public void MissingBundle_IsRefused()
    {
        var c = NewContainer();
        Cli.Run("create", "--bundle", Path.Combine(TempDir, "no-such-bundle"), c.Id).AssertFailure();
        Assert.DoesNotContain(c.Id, StateEntries());
        AssertNothingLeft(c);
    }

    private void AssertRefusedCleanly(Container c)
    {
        c.Create().AssertFailure();
        c.StateRaw().AssertFailure();
        Assert.DoesNotContain(c.Id, StateEntries());
        AssertNothingLeft(c);
        c.Run().AssertFailure();
        AssertNothingLeft(c);
    }
}
