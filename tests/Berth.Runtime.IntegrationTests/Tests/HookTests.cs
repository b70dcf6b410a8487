using System.Text.Json;
using Berth.Oci.Runtime;
using Berth.Runtime.IntegrationTests.Harness;
using Xunit.Abstractions;

namespace Berth.Runtime.IntegrationTests.Tests;

/// <summary>config.md "POSIX-platform Hooks": every kind runs, in lifecycle order, with the state on stdin.</summary>
[Collection(LifecycleCollection.Name)]
public sealed class HookTests(SuiteFixture suite, ITestOutputHelper output) : RuntimeTest(suite, output)
{
    private const string Script = "#!/bin/sh\n# hook.sh NAME LOG: append NAME to LOG, keep the state from stdin in LOG.NAME.json\n" +
        "echo \"$1\" >> \"$2\"\ncat > \"$2.$1.json\"\n";

    private static readonly string[] HookEnv = ["PATH=/usr/sbin:/usr/bin:/sbin:/bin"];

    [Fact]
    public void AllHooks_RunOnce_InLifecycleOrder_WithTheState()
    {
        var (c, log) = NewHookedContainer();
        c.Create().AssertSuccess();
        var pid = c.State().Pid;
        Assert.Equal(["prestart", "createRuntime", "createContainer"], Lines(log).Take(3));

        c.Start().AssertSuccess();
        Poll.Until(() => Lines(log).Length >= 5, 5);
        c.Kill().AssertSuccess();
        c.WaitForStatus(Status.Stopped);
        Assert.DoesNotContain("poststop", Lines(log));
        c.Delete().AssertSuccess();

        var ran = Lines(log);
        Assert.Equal(["createContainer", "createRuntime", "poststart", "poststop", "prestart", "startContainer"], ran.Order(StringComparer.Ordinal));
        Assert.Equal("poststop", ran[^1]);
        foreach (var name in (string[])["prestart", "createRuntime", "createContainer", "startContainer", "poststart"])
        {
            using var state = JsonDocument.Parse(File.ReadAllText($"{log}.{name}.json"));
            Assert.Equal(c.Id, state.RootElement.GetProperty("id").GetString());
            // Hooks in the container's namespaces (createContainer, startContainer) get the pid
            // as seen from inside (runc: 1) or 0 (crun, which also sends bundle "/"); only the
            // hooks run from the runtime's namespace are checked for the host pid and bundle.
            if (name is "createContainer" or "startContainer")
                continue;
            Assert.True(pid == state.RootElement.GetProperty("pid").GetInt32(), $"{name} got {state.RootElement}");
            Assert.Equal(Path.GetFullPath(c.Bundle.Dir), state.RootElement.GetProperty("bundle").GetString());
        }
        using var poststop = JsonDocument.Parse(File.ReadAllText($"{log}.poststop.json"));
        Assert.Equal(c.Id, poststop.RootElement.GetProperty("id").GetString());
        AssertNothingLeft(c);
    }

    [RuntimeFact(DeviatesOn = "runc", Because = "runc 1.1.5 runs poststart hooks during `create` (fixed in runc 1.2)")]
    public void Poststart_RunsAtStart_NotAtCreate()
    {
        var (c, log) = NewHookedContainer();
        c.Create().AssertSuccess();
        Assert.Equal(["prestart", "createRuntime", "createContainer"], Lines(log));
        c.Start().AssertSuccess();
        Assert.Contains("poststart", Lines(log));
    }

    [RuntimeFact(DeviatesOn = "runc,crun", Because =
        "runtime.md orders startContainer (before the user process is executed) before poststart (after it); " +
        "runc 1.1.5 runs poststart at create, crun 1.8 runs poststart without waiting for the container's exec")]
    public void StartContainer_RunsBeforePoststart()
    {
        var (c, log) = NewHookedContainer();
        c.Create().AssertSuccess();
        c.Start().AssertSuccess();
        Poll.Until(() => Lines(log).Length >= 5, 5);
        Assert.Equal(["prestart", "createRuntime", "createContainer", "startContainer", "poststart"], Lines(log));
    }

    [Fact]
    public void Hook_ArgsAndEnv_ArePassed()
    {
        var outFile = Path.Combine(TempDir, "hook.out");
        var c = NewContainer(s => s.Args("true").Hooks(h => h with
        {
            CreateRuntime =
            [
                new Hook
                {
                    Path = "/bin/sh",
                    Args = ["sh", "-c", "echo \"$0|$1|$HOOK_VAR\" > \"$OUT\"", "first", "second"],
                    Env = ["HOOK_VAR=from-env", $"OUT={outFile}"],
                },
            ],
        }));
        c.Create().AssertSuccess();
        Assert.Equal("first|second|from-env\n", File.ReadAllText(outFile));
    }

    [Fact]
    public void FailingPrestartHook_FailsCreate_AndLeavesNothing()
    {
        var c = NewContainer(s => s.Args("sleep", "100").Hooks(h => h with
        {
            Prestart = [new Hook { Path = "/bin/sh", Args = ["sh", "-c", "echo hook refuses >&2; exit 3"] }],
        }));
        // runc exits 1, crun 255: both refuse with a message naming the hook.
        var create = c.Create();
        Assert.NotEqual(0, create.ExitCode);
        Assert.False(string.IsNullOrWhiteSpace(create.Stderr), "a message on stderr");
        c.StateRaw().AssertFailure();
        AssertNothingLeft(c);
    }

    /// <summary>
    /// A container with one hook of each kind, each appending its name to LOG and keeping its
    /// stdin in LOG.NAME.json. startContainer runs in the container: its path and log resolve there.
    /// </summary>
    private (Container, string Log) NewHookedContainer()
    {
        var logDir = Directory.CreateDirectory(Path.Combine(TempDir, "hooklog")).FullName;
        var log = Path.Combine(logDir, "log");
        var hostScript = WriteScript(Path.Combine(TempDir, "hook.sh"));
        Hook Host(string name) => new() { Path = hostScript, Args = ["hook.sh", name, log], Env = HookEnv };
        var c = NewContainer(s => s
            .Args("sleep", "100")
            .AddMount(new Mount { Destination = "/hooklog", Type = "bind", Source = logDir, Options = ["rbind", "rw"] })
            .Hooks(h => h with
            {
                Prestart = [Host("prestart")],
                CreateRuntime = [Host("createRuntime")],
                CreateContainer = [Host("createContainer")],
                StartContainer = [new Hook { Path = "/hook.sh", Args = ["hook.sh", "startContainer", "/hooklog/log"], Env = HookEnv }],
                Poststart = [Host("poststart")],
                Poststop = [Host("poststop")],
            }));
        WriteScript(c.Bundle.HostPath("/hook.sh"));
        return (c, log);
    }

    private static string WriteScript(string path)
    {
        File.WriteAllText(path, Script);
        File.SetUnixFileMode(path, (UnixFileMode)Convert.ToInt32("755", 8));
        return path;
    }

    private static string[] Lines(string path) =>
        File.Exists(path) ? File.ReadAllText(path).TrimEnd('\n').Split('\n') : [];
}
