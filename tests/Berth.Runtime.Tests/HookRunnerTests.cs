using System.Diagnostics;
using System.Text.Json;
using Berth.Errdefs;
using Berth.Oci.Runtime;
using Berth.Runtime.Hooks;
using Berth.Runtime.Tests.Support;
using OciState = Berth.Oci.Runtime.State;

namespace Berth.Runtime.Tests;

public sealed class HookRunnerTests : IDisposable
{
    private static readonly OciState SampleState = new()
    {
        Id = "web",
        Status = ContainerStatus.Created,
        Pid = 4242,
        Bundle = "/bundles/web",
        Annotations = new Dictionary<string, string> { ["org.example"] = "yes" },
    };

    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private static Hook Sh(string script, int? timeout = null, IReadOnlyList<string>? env = null) =>
        new() { Path = "/bin/sh", Args = ["sh", "-c", script], Env = env, Timeout = timeout };

    [Fact]
    public void TheStateArrivesAsJsonOnStdin()
    {
        var output = _dir["state.json"];
        HookRunner.Run([Sh($"cat > '{output}'")], "prestart", SampleState);
        var json = File.ReadAllText(output);
        using var doc = JsonDocument.Parse(json);
        var root = doc.RootElement;
        Assert.Equal(SampleState.OciVersion, root.GetProperty("ociVersion").GetString());
        Assert.Equal("web", root.GetProperty("id").GetString());
        Assert.Equal("created", root.GetProperty("status").GetString());
        Assert.Equal(4242, root.GetProperty("pid").GetInt32());
        Assert.Equal("/bundles/web", root.GetProperty("bundle").GetString());
        Assert.Equal("yes", root.GetProperty("annotations").GetProperty("org.example").GetString());
    }

    [Fact]
    public void AScriptHookGetsItsPathAsArgv0AndExactlyItsEnvironment()
    {
        var script = _dir["hook.sh"];
        var output = _dir["out"];
        File.WriteAllText(script, $"#!/bin/sh\nread -r line\necho \"$0|$HOOK_VAR|${{HOME-unset}}|$line\" > '{output}'\n");
        File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        HookRunner.Run([new Hook { Path = script, Env = ["HOOK_VAR=hello"] }], "createRuntime", SampleState);
        var fields = File.ReadAllText(output).TrimEnd('\n').Split('|');
        Assert.Equal(script, fields[0]);
        Assert.Equal("hello", fields[1]);
        Assert.Equal("unset", fields[2]);
        Assert.StartsWith("{", fields[3]);
    }

    [Fact]
    public void HooksRunInOrder()
    {
        var output = _dir["order"];
        HookRunner.Run([Sh($"echo one >> '{output}'"), Sh($"echo two >> '{output}'"), Sh($"echo three >> '{output}'")], "poststart", SampleState);
        Assert.Equal("one\ntwo\nthree\n", File.ReadAllText(output));
    }

    [Fact]
    public void AFailingHookThrowsWithItsExitStatusAndStopsTheRest()
    {
        var output = _dir["after"];
        var e = Assert.Throws<BerthException>(() =>
            HookRunner.Run([Sh("exit 0"), Sh("exit 7"), Sh($"touch '{output}'")], "prestart", SampleState));
        Assert.Equal("run prestart hook #1 `/bin/sh`: exit status 7", e.Message);
        Assert.Equal(ErrorKind.FailedPrecondition, e.Kind);
        Assert.False(File.Exists(output));
    }

    [Fact]
    public void AHookKilledByASignalSaysWhich()
    {
        var e = Assert.Throws<BerthException>(() => HookRunner.Run([Sh("kill -TERM $$")], "poststop", SampleState));
        Assert.Equal("run poststop hook #0 `/bin/sh`: killed by SIGTERM", e.Message);
    }

    [Fact]
    public void AHookPastItsTimeoutIsKilled()
    {
        var pidFile = _dir["pid"];
        var watch = Stopwatch.StartNew();
        var e = Assert.Throws<BerthException>(() => HookRunner.Run([Sh($"echo $$ > '{pidFile}'; exec sleep 30", timeout: 1)], "createContainer", SampleState));
        watch.Stop();
        Assert.Equal("run createContainer hook #0 `/bin/sh`: timed out after 1s", e.Message);
        Assert.InRange(watch.Elapsed.TotalSeconds, 0.9, 5);
        // Killed and reaped: the pid is gone, not a zombie.
        var pid = int.Parse(File.ReadAllText(pidFile).Trim());
        Assert.False(Directory.Exists($"/proc/{pid}") && File.ReadAllText($"/proc/{pid}/cmdline").Contains("sleep"));
    }

    [Fact]
    public void AHookWithinItsTimeoutSucceeds()
    {
        HookRunner.Run([Sh("cat > /dev/null", timeout: 5)], "prestart", SampleState);
    }

    [Fact]
    public void AHookThatIgnoresStdinIsFine()
    {
        // It may exit before the state is written: the EPIPE must not fail the hook.
        for (var i = 0; i < 5; i++)
            HookRunner.Run([new Hook { Path = "/bin/true" }], "prestart", SampleState with { Annotations = Big() });
    }

    [Fact]
    public void ARelativePathIsRejected()
    {
        var e = Assert.Throws<BerthException>(() => HookRunner.Run([new Hook { Path = "bin/true" }], "prestart", SampleState));
        Assert.Equal(ErrorKind.InvalidArgument, e.Kind);
        Assert.Equal("run prestart hook #0 `bin/true`: hook path is not absolute", e.Message);
    }

    [Fact]
    public void AMissingProgramIsAnError()
    {
        var e = Assert.Throws<BerthException>(() => HookRunner.Run([new Hook { Path = "/nonexistent/hook" }], "prestart", SampleState));
        Assert.StartsWith("run prestart hook #0 `/nonexistent/hook`: ", e.Message);
    }

    [Fact]
    public void NoHooksIsNothing()
    {
        HookRunner.Run(null, "prestart", SampleState);
        HookRunner.Run([], "prestart", SampleState);
    }

    [Fact]
    public void RunAndWarnReportsInsteadOfThrowing()
    {
        var output = _dir["after"];
        var warnings = new StringWriter();
        HookRunner.RunAndWarn([Sh("exit 2"), Sh($"touch '{output}'")], "poststop", SampleState, warnings);
        Assert.Equal("warning: run poststop hook #0 `/bin/sh`: exit status 2" + Environment.NewLine, warnings.ToString());
    }

    private static Dictionary<string, string> Big() =>
        Enumerable.Range(0, 2000).ToDictionary(i => $"annotation.{i}", i => new string('v', 100));
}
