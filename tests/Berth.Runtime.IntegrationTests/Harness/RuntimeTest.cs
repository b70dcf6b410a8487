using Berth.Linux.Interop;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace Berth.Runtime.IntegrationTests.Harness;

/// <summary>
/// Base of every test class: a temp directory per test holding the runtime's <c>--root</c>,
/// the bundles and the captured output. Dispose deletes every container (<c>delete --force</c>),
/// runs registered cleanups, then checks — and reports as a failure — anything left behind:
/// a state directory under the root, a cgroup directory of a container's cgroupsPath, or a
/// live process the test saw.
/// </summary>
public abstract class RuntimeTest : IDisposable
{
    private readonly List<Container> containers = [];
    private readonly List<Action> cleanups = [];
    private readonly System.Diagnostics.Stopwatch watch;

    protected RuntimeTest(SuiteFixture suite, ITestOutputHelper output)
    {
        Suite = suite;
        Output = output;
        watch = System.Diagnostics.Stopwatch.StartNew();
        TempDir = Directory.CreateTempSubdirectory("berth-it-").FullName;
        Cli = new RuntimeCli(suite.Runtime, Path.Combine(TempDir, "root"), Path.Combine(TempDir, "calls"), output);
        output.WriteLine($"runtime {suite.Runtime.Path}, temp {TempDir}");
    }

    protected SuiteFixture Suite { get; }

    protected ITestOutputHelper Output { get; }

    protected RuntimeCli Cli { get; }

    protected string TempDir { get; }

    protected string RuntimeName => Suite.Runtime.Name;

    /// <summary>A fresh id, unique across parallel tests and runs.</summary>
    protected static string NewId() => "it-" + Guid.NewGuid().ToString("N")[..12];

    /// <summary>A container with its own bundle and the default spec, changed by <paramref name="configure"/>.</summary>
    protected Container NewContainer(Action<SpecBuilder>? configure = null)
    {
        var id = NewId();
        var cgroupsPath = $"{SuiteFixture.CgroupParent}/{id}";
        var builder = new SpecBuilder(DefaultSpec.Create(cgroupsPath));
        configure?.Invoke(builder);
        var bundle = Bundle.Create(Path.Combine(TempDir, id), Suite.Rootfs, builder.Spec);
        Output.WriteLine($"[{watch.ElapsedMilliseconds} ms] bundle {id} ready");
        var container = new Container(id, bundle, Cli, cgroupsPath);
        lock (containers)
            containers.Add(container);
        return container;
    }

    /// <summary>
    /// Runs <paramref name="script"/> with <c>sh -c</c> in a new container in the foreground
    /// (<c>run</c>) and returns the result: the script's output and exit status.
    /// </summary>
    protected RunResult RunScript(string script, Action<SpecBuilder>? configure = null)
    {
        var c = NewContainer(s =>
        {
            s.Shell(script);
            configure?.Invoke(s);
        });
        return c.Run();
    }

    /// <summary>Like <see cref="RunScript"/>, asserting exit 0; returns stdout.</summary>
    protected string ScriptOutput(string script, Action<SpecBuilder>? configure = null) =>
        RunScript(script, configure).AssertSuccess().Stdout;

    /// <summary>Runs at Dispose, before the leak checks, last registered first.</summary>
    protected void OnCleanup(Action cleanup)
    {
        lock (cleanups)
            cleanups.Add(cleanup);
    }

    /// <summary>The container state directories under --root (runc and crun both use ROOT/ID).</summary>
    protected IReadOnlyList<string> StateEntries() =>
        Directory.Exists(Cli.Root) ? [.. Directory.EnumerateFileSystemEntries(Cli.Root).Select(Path.GetFileName)!] : [];

    /// <summary>Asserts a container left nothing: no state directory, no cgroup, no live process.</summary>
    protected void AssertNothingLeft(Container c)
    {
        var leaks = Leaks(c);
        if (leaks.Count > 0)
            throw new XunitException($"container {c.Id} left: {string.Join("; ", leaks)}");
    }

    public void Dispose()
    {
        Output.WriteLine($"[{watch.ElapsedMilliseconds} ms] test body done, cleaning up");
        var problems = new List<string>();
        List<Container> all;
        lock (containers)
            all = [.. containers];
        foreach (var c in all)
        {
            try
            {
                c.Delete(force: true);
            }
            catch (Exception e)
            {
                problems.Add($"delete --force {c.Id}: {e.Message}");
            }
        }
        List<Action> extra;
        lock (cleanups)
            extra = [.. cleanups];
        extra.Reverse();
        foreach (var cleanup in extra)
        {
            try
            {
                cleanup();
            }
            catch (Exception e)
            {
                problems.Add($"cleanup: {e.Message}");
            }
        }
        foreach (var c in all)
        {
            problems.AddRange(Leaks(c));
            // Whatever leaked is removed now, so one failure does not spill into other tests.
            foreach (var p in c.SeenPids.Where(p => p.IsAlive))
                Libc.kill(p.Pid, 9);
            foreach (var d in CgroupHierarchies.ForceRemove(c.CgroupsPath))
                problems.Add($"cannot remove cgroup {d}");
        }
        try
        {
            Directory.Delete(TempDir, recursive: true);
        }
        catch (Exception e)
        {
            problems.Add($"remove {TempDir}: {e.Message}");
        }
        Output.WriteLine($"[{watch.ElapsedMilliseconds} ms] cleaned up");
        GC.SuppressFinalize(this);
        if (problems.Count > 0)
            throw new XunitException("cleanup found leftovers:\n  " + string.Join("\n  ", problems));
    }

    private List<string> Leaks(Container c)
    {
        var leaks = new List<string>();
        if (Directory.Exists(Path.Combine(Cli.Root, c.Id)))
            leaks.Add($"state directory {Path.Combine(Cli.Root, c.Id)}");
        // The init and its children die asynchronously after delete --force; allow them a moment.
        Poll.Until(() => c.SeenPids.All(p => !p.IsAlive) && CgroupHierarchies.Existing(c.CgroupsPath).Count == 0, 3);
        leaks.AddRange(c.SeenPids.Where(p => p.IsAlive).Select(p => $"live process {p.Pid}"));
        leaks.AddRange(CgroupHierarchies.Existing(c.CgroupsPath).Select(d => $"cgroup {d}"));
        leaks.AddRange(ProcessesOf(c).Select(p => $"process {p.Pid} `{p.CommandLine}`"));
        return leaks;
    }

    /// <summary>
    /// Processes the test never saw a pid of but that belong to the container: a runtime
    /// process still naming its id (a stuck <c>crun create</c>), or anything whose working
    /// directory is inside its bundle (a container init stuck before pivot_root; after it, the
    /// host sees its cwd as "/", and the cgroup check covers it).
    /// </summary>
    private static List<(int Pid, string CommandLine)> ProcessesOf(Container c)
    {
        var found = new List<(int, string)>();
        var self = Environment.ProcessId;
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid) || pid == self)
                continue;
            try
            {
                var args = File.ReadAllText(Path.Combine(dir, "cmdline")).Split('\0', StringSplitOptions.RemoveEmptyEntries);
                var cwd = new DirectoryInfo(Path.Combine(dir, "cwd")).LinkTarget ?? "";
                if (args.Contains(c.Id) || cwd == c.Bundle.Dir || cwd.StartsWith(c.Bundle.Dir + "/", StringComparison.Ordinal))
                {
                    if (ProcessIdentity.Of(pid) is { IsAlive: true })
                        found.Add((pid, string.Join(' ', args)));
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // the process ended while being looked at
            }
        }
        return found;
    }
}
