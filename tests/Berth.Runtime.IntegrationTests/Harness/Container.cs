using Xunit.Sdk;

namespace Berth.Runtime.IntegrationTests.Harness;

/// <summary>
/// A container id bound to its bundle and the runtime's command line: one method per verb.
/// Every pid it sees is remembered so cleanup can prove no process outlived the test.
/// </summary>
public sealed class Container(string id, Bundle bundle, RuntimeCli cli, string cgroupsPath)
{
    private readonly List<ProcessIdentity> pids = [];

    public string Id { get; } = id;

    public Bundle Bundle { get; } = bundle;

    public RuntimeCli Cli { get; } = cli;

    /// <summary>The cgroupsPath written into the spec, e.g. <c>/berth-it/ID</c>.</summary>
    public string CgroupsPath { get; } = cgroupsPath;

    /// <summary>Processes seen in this container (from state, pid files, ps).</summary>
    public IReadOnlyList<ProcessIdentity> SeenPids
    {
        get { lock (pids) return [.. pids]; }
    }

    public RunResult Create(params string[] options) =>
        Cli.Run(["create", "--bundle", Bundle.Dir, .. options, Id]);

    public RunResult Create(RunOptions run, params string[] options) =>
        Cli.Run(run, ["create", "--bundle", Bundle.Dir, .. options, Id]);

    public RunResult Start() => Cli.Run("start", Id);

    /// <summary><c>run</c> in the foreground: returns when the container's process exits, with its status.</summary>
    public RunResult Run(params string[] options) => Cli.Run(["run", "--bundle", Bundle.Dir, .. options, Id]);

    public RunResult Run(RunOptions run, params string[] options) =>
        Cli.Run(run, ["run", "--bundle", Bundle.Dir, .. options, Id]);

    public RunResult StateRaw() => Cli.Run("state", Id);

    public ContainerState State()
    {
        var state = ContainerState.Parse(StateRaw().AssertSuccess().Stdout);
        Remember(state.Pid);
        return state;
    }

    public RunResult Kill(string signal = "KILL", bool all = false) =>
        Cli.Run(all ? ["kill", "--all", Id, signal] : ["kill", Id, signal]);

    public RunResult Delete(bool force = false) => Cli.Run(force ? ["delete", "--force", Id] : ["delete", Id]);

    /// <summary><c>exec [options] ID command…</c>.</summary>
    public RunResult ExecWith(string[] options, params string[] command) => Cli.Run(["exec", .. options, Id, .. command]);

    public RunResult Exec(params string[] command) => ExecWith([], command);

    /// <summary>create then start, asserting both succeed; returns the result of create (whose stdout the process inherits).</summary>
    public RunResult CreateAndStart(params string[] createOptions)
    {
        var created = Create(createOptions).AssertSuccess();
        State();
        Start().AssertSuccess();
        return created;
    }

    /// <summary>Polls <c>state</c> until the status is <paramref name="status"/>.</summary>
    public ContainerState WaitForStatus(string status, double seconds = 10)
    {
        ContainerState? last = null;
        var ok = Poll.Until(() => (last = State()).Status == status, seconds);
        if (!ok)
            throw new XunitException($"container {Id} did not become {status} in {seconds}s; last state: {last?.Raw}");
        return last!;
    }

    public void Remember(int pid)
    {
        if (pid <= 0)
            return;
        var identity = ProcessIdentity.Of(pid);
        if (identity is null)
            return;
        lock (pids)
        {
            if (!pids.Contains(identity))
                pids.Add(identity);
        }
    }
}
