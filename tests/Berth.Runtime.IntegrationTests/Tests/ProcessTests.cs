using Berth.Oci.Runtime;
using Berth.Runtime.IntegrationTests.Harness;
using Xunit.Abstractions;

namespace Berth.Runtime.IntegrationTests.Tests;

/// <summary>What the container's process sees of itself: config.md "Process" and config-linux.md.</summary>
[Collection(ProcessCollection.Name)]
public sealed class ProcessTests(SuiteFixture suite, ITestOutputHelper output) : RuntimeTest(suite, output)
{
    [Fact]
    public void Process_IsPid1_OfItsOwnPidNamespace()
    {
        var text = ScriptOutput("echo $$; n=0; for p in /proc/[0-9]*; do n=$((n+1)); done; echo $n");
        Assert.Equal(["1", "1"], Lines(text));
    }

    [Fact]
    public void Hostname_IsSet()
    {
        Assert.Equal("box-one\n", ScriptOutput("hostname", s => s.Hostname("box-one")));
        Assert.NotEqual("box-one", Environment.MachineName);
    }

    [RuntimeFact(DeviatesOn = "runc", Because = "runc 1.1.5 ignores `domainname` (runtime-spec 1.0.2); crun sets it")]
    public void Domainname_IsSet()
    {
        var text = ScriptOutput("cat /proc/sys/kernel/domainname", s => s.With(x => x with { Domainname = "berth.test" }));
        Assert.Equal("berth.test\n", text);
    }

    [Fact]
    public void Env_AndCwd_AreThoseOfTheConfig()
    {
        var text = ScriptOutput("echo \"$GREETING|$EMPTY|${UNSET-unset}\"; pwd",
            s => s.Env("GREETING=hello world", "EMPTY=").Process(p => p with { Cwd = "/home/berth" }));
        Assert.Equal(["hello world||unset", "/home/berth"], Lines(text));
    }

    [Fact]
    public void Args_AreExecutedVerbatim_WithPathLookup()
    {
        var c = NewContainer(s => s.Args("echo", "two  spaces", "$HOME", "*"));
        Assert.Equal("two  spaces $HOME *\n", c.Run().AssertSuccess().Stdout);
    }

    [Fact]
    public void User_UidGidAndAdditionalGids_AreApplied()
    {
        var text = ScriptOutput("grep -E '^(Uid|Gid|Groups):' /proc/self/status; id -un",
            s => s.User(1000, 1000, 2000, 3000).Process(p => p with { Capabilities = null }));
        var status = Fields(text);
        Assert.Equal("1000 1000 1000 1000", status["Uid"]);
        Assert.Equal("1000 1000 1000 1000", status["Gid"]);
        Assert.Equal("2000 3000", status["Groups"]);
        Assert.EndsWith("berth", text.TrimEnd());
    }

    [Fact]
    public void Root_WithoutAdditionalGids_HasNoSupplementaryGroups()
    {
        var status = Fields(ScriptOutput("grep -E '^(Uid|Groups):' /proc/self/status"));
        Assert.Equal("0 0 0 0", status["Uid"]);
        Assert.Equal("", status["Groups"]);
    }

    [Fact]
    public void Umask_IsApplied()
    {
        var text = ScriptOutput("umask; touch /tmp/f; stat -c %a /tmp/f",
            s => s.Process(p => p with { User = p.User with { Umask = Convert.ToUInt32("027", 8) } }));
        Assert.Equal(["0027", "640"], Lines(text));
    }

    [Fact]
    public void Capabilities_AsRoot_AreExactlyTheReducedSet()
    {
        string[] set = ["CAP_CHOWN", "CAP_KILL", "CAP_NET_RAW"];
        var text = ScriptOutput("grep ^Cap /proc/self/status", s => s.Process(p => p with
        {
            Capabilities = new LinuxCapabilities { Bounding = set, Effective = set, Permitted = set, Inheritable = [], Ambient = [] },
        }));
        var caps = Fields(text);
        const string mask = "0000000000002021"; // bits 0 (CHOWN), 5 (KILL), 13 (NET_RAW)
        Assert.Equal(mask, caps["CapBnd"]);
        Assert.Equal(mask, caps["CapPrm"]);
        Assert.Equal(mask, caps["CapEff"]);
        Assert.Equal("0000000000000000", caps["CapInh"]);
        Assert.Equal("0000000000000000", caps["CapAmb"]);
    }

    [Fact]
    public void Capabilities_AsUser_KeepEachSetApart()
    {
        // For a non-root user the kernel derives permitted and effective from ambient at exec,
        // so each of the five sets shows separately.
        var text = ScriptOutput("grep ^Cap /proc/self/status", s => s.User(1000, 1000).Process(p => p with
        {
            Capabilities = new LinuxCapabilities
            {
                Bounding = ["CAP_CHOWN", "CAP_KILL", "CAP_NET_RAW", "CAP_SETUID"],
                Effective = ["CAP_KILL", "CAP_NET_RAW"],
                Permitted = ["CAP_KILL", "CAP_NET_RAW"],
                Inheritable = ["CAP_KILL", "CAP_NET_RAW"],
                Ambient = ["CAP_KILL", "CAP_NET_RAW"],
            },
        }));
        var caps = Fields(text);
        Assert.Equal("00000000000020a1", caps["CapBnd"]); // + bit 7 (SETUID)
        Assert.Equal("0000000000002020", caps["CapInh"]);
        Assert.Equal("0000000000002020", caps["CapAmb"]);
        Assert.Equal("0000000000002020", caps["CapPrm"]);
        Assert.Equal("0000000000002020", caps["CapEff"]);
    }

    [Fact]
    public void Capabilities_Dropped_AreEnforced()
    {
        // Without CAP_CHOWN root cannot give a file away; with it, it can.
        var without = RunScript("touch /tmp/f; chown 1000 /tmp/f");
        Assert.NotEqual(0, without.ExitCode);
        Assert.Contains("Operation not permitted", without.Stderr + without.Stdout);
        ScriptOutput("touch /tmp/f; chown 1000 /tmp/f", s => s.Process(p => p with
        {
            Capabilities = new LinuxCapabilities { Bounding = ["CAP_CHOWN"], Effective = ["CAP_CHOWN"], Permitted = ["CAP_CHOWN"] },
        }));
    }

    [Fact]
    public void Rlimits_NofileLowered_IsSeen()
    {
        var text = ScriptOutput("ulimit -n; ulimit -Hn; grep 'Max open files' /proc/self/limits", s => s.Process(p => p with
        {
            Rlimits = [new PosixRlimit { Type = "RLIMIT_NOFILE", Soft = 100, Hard = 200 }],
        }));
        var lines = Lines(text);
        Assert.Equal("100", lines[0]);
        Assert.Equal("200", lines[1]);
        Assert.Equal(["Max", "open", "files", "100", "200", "files"], lines[2].Split(' ', StringSplitOptions.RemoveEmptyEntries));
    }

    [Theory]
    [InlineData(true, "1")]
    [InlineData(false, "0")]
    public void NoNewPrivileges_IsReflectedInStatus(bool value, string expected)
    {
        var status = Fields(ScriptOutput("grep NoNewPrivs /proc/self/status", s => s.Process(p => p with { NoNewPrivileges = value })));
        Assert.Equal(expected, status["NoNewPrivs"]);
    }

    [Fact]
    public void OomScoreAdj_IsApplied()
    {
        Assert.Equal("123\n", ScriptOutput("cat /proc/self/oom_score_adj", s => s.Process(p => p with { OomScoreAdj = 123 })));
    }

    [Fact]
    public void Sysctl_AreSetInTheContainersNamespaces_Only()
    {
        // Set each to the opposite of the host's value, so the result proves it was the
        // container's namespace that changed (whatever another program left on the host).
        var hostForward = File.ReadAllText("/proc/sys/net/ipv4/ip_forward");
        var hostShm = File.ReadAllText("/proc/sys/kernel/shm_rmid_forced");
        var forward = hostForward.Trim() == "1" ? "0" : "1";
        var shm = hostShm.Trim() == "1" ? "0" : "1";
        var text = ScriptOutput("cat /proc/sys/net/ipv4/ip_forward /proc/sys/kernel/shm_rmid_forced", s => s.Linux(l => l with
        {
            Sysctl = new Dictionary<string, string> { ["net.ipv4.ip_forward"] = forward, ["kernel.shm_rmid_forced"] = shm },
        }));
        Assert.Equal([forward, shm], Lines(text));
        Assert.Equal(hostForward, File.ReadAllText("/proc/sys/net/ipv4/ip_forward"));
        Assert.Equal(hostShm, File.ReadAllText("/proc/sys/kernel/shm_rmid_forced"));
    }

    [Fact]
    public void ExitStatus_OfTheProcess_IsRunsExitStatus()
    {
        Assert.Equal(3, RunScript("exit 3").ExitCode);
        Assert.Equal(0, RunScript("true").ExitCode);
    }

    private static string[] Lines(string text) => text.TrimEnd('\n').Split('\n');

    /// <summary>"Key:\tvalue" lines (as in /proc/self/status) with whitespace runs made single spaces.</summary>
    private static Dictionary<string, string> Fields(string text) =>
        Lines(text).Where(l => l.Contains(':')).ToDictionary(
            l => l[..l.IndexOf(':')],
            l => string.Join(' ', l[(l.IndexOf(':') + 1)..].Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries)));
}
