using System.Text.Json;
using Berth.Oci.Runtime;
using Berth.Runtime.IntegrationTests.Harness;
using Xunit.Abstractions;
using OciProcess = Berth.Oci.Runtime.Process;

namespace Berth.Runtime.IntegrationTests.Tests;

/// <summary><c>exec</c>: a new process inside a running container's namespaces and cgroup.</summary>
[Collection(ProcessCollection.Name)]
public sealed class ExecTests(SuiteFixture suite, ITestOutputHelper output) : RuntimeTest(suite, output)
{
    [Fact]
    public void Exec_JoinsTheContainersNamespaces_AndSeesItsInit()
    {
        var c = NewContainer(s => s.Hostname("exec-box").Args("sleep", "1000"));
        c.CreateAndStart();
        var pid = c.State().Pid;

        Assert.Equal("exec-box\n", c.Exec("hostname").AssertSuccess().Stdout);
        var ps = c.Exec("ps", "-o", "pid,args").AssertSuccess().Stdout.Split('\n')
            .Select(l => l.Trim()).Where(l => l.Length > 0).ToArray();
        Assert.Contains("1 sleep 1000", ps);

        string[] kinds = ["pid", "net", "ipc", "uts", "mnt"];
        var inside = c.Exec("sh", "-c", string.Join("; ", kinds.Select(k => $"readlink /proc/self/ns/{k}"))).AssertSuccess().Stdout;
        var host = string.Concat(kinds.Select(k => HostCommand.Run("readlink", $"/proc/{pid}/ns/{k}")));
        Assert.Equal(host, inside);
        Assert.NotEqual(HostCommand.Run("readlink", "/proc/self/ns/net"), HostCommand.Run("readlink", $"/proc/{pid}/ns/net"));
    }

    [Fact]
    public void Exec_RunsInTheContainersCgroup()
    {
        var c = NewContainer(s => s.Args("sleep", "1000"));
        c.CreateAndStart();
        var run = c.ExecWith(["--detach", "--pid-file", Path.Combine(TempDir, "exec.pid")], "sleep", "999").AssertSuccess();
        var pid = int.Parse(File.ReadAllText(Path.Combine(TempDir, "exec.pid")).Trim());
        c.Remember(pid);
        Assert.Contains(pid, CgroupHierarchies.Pids(CgroupHierarchies.PathOf("memory", c.CgroupsPath)!));
        Assert.Contains(pid, CgroupHierarchies.Pids(CgroupHierarchies.PathOf("pids", c.CgroupsPath)!));
        Assert.Equal(0, run.ExitCode);
    }

    [Fact]
    public void Exec_EnvCwdAndUserOptions_Apply()
    {
        var c = NewContainer(s => s.Args("sleep", "1000").Env("FROM_CONFIG=config"));
        c.CreateAndStart();
        // An absolute path: crun's --env replaces the whole environment (PATH too), runc's adds
        // to the config's; the variable itself is what both set.
        var text = c.ExecWith(["--env", "FOO=bar", "--cwd", "/tmp", "--user", "1000:1000"],
            "/bin/sh", "-c", "echo $FOO; /bin/pwd; /bin/id -u; /bin/id -g").AssertSuccess().Stdout;
        Assert.Equal("bar\n/tmp\n1000\n1000\n", text);
    }

    [Fact]
    public void Exec_DefaultEnv_IsThatOfTheConfigProcess()
    {
        var c = NewContainer(s => s.Args("sleep", "1000").Env("FROM_CONFIG=config"));
        c.CreateAndStart();
        Assert.Equal("config\n", c.Exec("sh", "-c", "echo $FROM_CONFIG").AssertSuccess().Stdout);
    }

    [RuntimeFact(DeviatesOn = "crun", Because = "crun 1.8 execs as root unless --user is given; runc uses the config's process.user")]
    public void Exec_DefaultUser_IsTheConfigProcessUser()
    {
        var c = NewContainer(s => s.Args("sleep", "1000").User(1000, 1000).Process(p => p with { Capabilities = null }));
        c.CreateAndStart();
        Assert.Equal("1000 1000\n", c.Exec("sh", "-c", "echo $(id -u) $(id -g)").AssertSuccess().Stdout);
    }

    [RuntimeFact(DeviatesOn = "crun", Because = "crun 1.8 execs in / unless --cwd is given; runc uses the config's process.cwd")]
    public void Exec_DefaultCwd_IsTheConfigProcessCwd()
    {
        var c = NewContainer(s => s.Args("sleep", "1000").Process(p => p with { Cwd = "/home" }));
        c.CreateAndStart();
        Assert.Equal("/home\n", c.Exec("pwd").AssertSuccess().Stdout);
    }

    [Fact]
    public void Exec_ProcessFile_IsUsed()
    {
        var c = NewContainer(s => s.Args("sleep", "1000"));
        c.CreateAndStart();
        var file = Path.Combine(TempDir, "process.json");
        File.WriteAllText(file, JsonSerializer.Serialize(new OciProcess
        {
            Args = ["sh", "-c", "echo from-process-json $X; pwd; id -u"],
            Env = ["PATH=/bin", "X=42"],
            Cwd = "/etc",
            User = new User { Uid = 1000, Gid = 1000 },
        }, RuntimeJsonContext.Default.Process));
        Assert.Equal("from-process-json 42\n/etc\n1000\n", c.ExecWith(["--process", file]).AssertSuccess().Stdout);
    }

    [Fact]
    public void Exec_ExitCode_Propagates()
    {
        var c = NewContainer(s => s.Args("sleep", "1000"));
        c.CreateAndStart();
        Assert.Equal(7, c.Exec("sh", "-c", "exit 7").ExitCode);
        Assert.Equal(0, c.Exec("true").ExitCode);
        Assert.Equal(Status.Running, c.State().Status);
    }

    [Fact]
    public void Exec_Detach_ReturnsAtOnce_AndThePidFileNamesTheProcess()
    {
        var c = NewContainer(s => s.Args("sleep", "1000"));
        c.CreateAndStart();
        var pidFile = Path.Combine(TempDir, "exec.pid");
        c.ExecWith(["--detach", "--pid-file", pidFile], "sh", "-c", "echo $$ > /tmp/inner; sleep 1000").AssertSuccess();
        var pid = int.Parse(File.ReadAllText(pidFile).Trim());
        c.Remember(pid);
        Assert.True(Directory.Exists($"/proc/{pid}"), "the detached process runs");
        Poll.FileContains(c.Bundle.HostPath("/tmp/inner"), "\n");
        Assert.NotEqual("1", File.ReadAllText(c.Bundle.HostPath("/tmp/inner")).Trim());
    }

    [Fact]
    public void Exec_InAStoppedContainer_Fails()
    {
        var c = NewContainer(s => s.Args("true"));
        c.CreateAndStart();
        c.WaitForStatus(Status.Stopped);
        c.Exec("true").AssertRefused();
    }

    [Fact]
    public void Exec_InAnUnknownContainer_Fails()
    {
        Cli.Run("exec", "it-never-created", "true").AssertRefused();
    }
}
