using System.Diagnostics;
using Berth.Engine.Monitor;
using Berth.Linux.Interop;

namespace Berth.IntegrationTests.Cli;

/// <summary>
/// A private berth root for one test class (<c>IClassFixture&lt;BerthFixture&gt;</c>):
/// <c>/tmp/berth-it-XXXX</c> with busybox:latest bootstrapped once, and <see cref="Run"/> to run
/// berth against it. Dispose leaves nothing: every container is removed with <c>rm -f</c>, then
/// whatever survived that is taken apart by hand — monitor and container processes killed by
/// PID, mounts under the root detached, their cgroups removed — and the root deleted.
/// </summary>
public sealed class BerthFixture : IDisposable
{
    public const string Image = "busybox";

    public BerthFixture()
    {
        Root = Directory.CreateTempSubdirectory("berth-it-").FullName;
        SkipReason = BerthCli.SkipReason();
        if (SkipReason is not null)
            return;
        var bootstrap = Run("image", "bootstrap");
        if (bootstrap.ExitCode != 0)
        {
            Dispose();
            throw new InvalidOperationException($"berth image bootstrap failed in {Root}: {bootstrap}");
        }
    }

    public string Root { get; }

    /// <summary>Run state (the default for a root other than /var/lib/berth).</summary>
    public string RunRoot => Path.Combine(Root, "run");

    /// <summary>Why these tests cannot run here; null when they can.</summary>
    public string? SkipReason { get; }

    /// <summary>The full argv for ARGS against this root.</summary>
    public string[] Args(params string[] args) => ["--root", Root, .. args];

    /// <summary>Runs <c>berth --root ROOT ARGS</c> with empty stdin; kills it and fails the test after 60 s.</summary>
    public BerthCli.Result Run(params string[] args) => BerthCli.Run(Args(args));

    /// <summary>As <see cref="Run"/>, writing <paramref name="stdin"/> to its input, then closing it.</summary>
    public BerthCli.Result RunWithStdin(string stdin, params string[] args) => BerthCli.Run(Args(args), stdin);

    /// <summary>As <see cref="Run"/> with another time limit.</summary>
    public BerthCli.Result RunWithTimeout(TimeSpan timeout, params string[] args) => BerthCli.Run(Args(args), timeout: timeout);

    /// <summary>Runs ARGS, asserts exit 0, and returns stdout.</summary>
    public string Ok(params string[] args)
    {
        var result = Run(args);
        Assert.True(result.ExitCode == 0, $"{BerthCli.Show(Args(args))}: {result}");
        return result.Stdout;
    }

    /// <summary>Starts ARGS without waiting (stdout and stderr redirected); the caller ends it.</summary>
    public Process Start(params string[] args) => BerthCli.Start(Args(args));

    /// <summary>The directory of each container in the root (complete or not).</summary>
    public IEnumerable<string> ContainerDirs()
    {
        var containers = Path.Combine(Root, "containers");
        return Directory.Exists(containers) ? Directory.EnumerateDirectories(containers) : [];
    }

    public void Dispose()
    {
        var errors = new List<string>();
        if (SkipReason is null && File.Exists(BerthCli.Berth))
            RemoveContainers(errors);
        KillLeftovers();
        Unmount(errors);
        RemoveCgroups();
        try
        {
            if (Directory.Exists(Root))
                Directory.Delete(Root, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            errors.Add($"delete {Root}: {e.Message}");
        }
        if (errors.Count > 0)
            Console.Error.WriteLine($"BerthFixture cleanup of {Root}:\n  {string.Join("\n  ", errors)}");
    }

    private void RemoveContainers(List<string> errors)
    {
        try
        {
            var ids = new HashSet<string>(ContainerDirs().Select(Path.GetFileName).Where(n => n is { Length: 64 })!);
            var listed = BerthCli.Run(Args("ps", "-a", "-q", "--no-trunc"), timeout: TimeSpan.FromSeconds(30));
            if (listed.ExitCode == 0)
                ids.UnionWith(listed.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
            if (ids.Count == 0)
                return;
            var removed = BerthCli.Run(Args(["rm", "-f", .. ids]), timeout: TimeSpan.FromSeconds(60));
            if (removed.ExitCode != 0 && !removed.Stderr.Contains("No such container"))
                errors.Add($"rm -f: {removed}");
        }
        catch (Exception e)
        {
            // A timed-out berth fails through Assert.Fail; cleanup goes on by hand below.
            errors.Add($"rm -f: {e.Message}");
        }
    }

    /// <summary>
    /// Kills (SIGKILL, by PID) the monitors and container inits recorded under the root, and any
    /// process whose command line or working directory names the root.
    /// </summary>
    private void KillLeftovers()
    {
        var self = Environment.ProcessId;
        var pids = new HashSet<int>();
        foreach (var dir in ContainerDirs())
        {
            if (MonitorState.TryRead(dir, out var state))
            {
                if (state.IsMonitorAlive())
                    pids.Add(state.MonitorPid);
                if (state.Pid > 0)
                    pids.Add(state.Pid);
            }
        }
        foreach (var entry in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(entry), out var pid) || pid == self)
                continue;
            try
            {
                var cmdline = File.ReadAllText(Path.Combine(entry, "cmdline"));
                var cwd = new FileInfo(Path.Combine(entry, "cwd")).LinkTarget ?? "";
                if (cmdline.Contains(Root, StringComparison.Ordinal) || cwd == Root || cwd.StartsWith(Root + "/", StringComparison.Ordinal))
                    pids.Add(pid);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Gone meanwhile, or a kernel thread.
            }
        }
        pids.Remove(self);
        foreach (var pid in pids)
            Libc.kill(pid, 9);
        if (pids.Count > 0)
            Thread.Sleep(100);
    }

    /// <summary>Detaches every mount at or under the root, deepest first.</summary>
    private void Unmount(List<string> errors)
    {
        for (var round = 0; round < 3; round++)
        {
            var mounts = MountsUnder(Root);
            if (mounts.Count == 0)
                return;
            foreach (var target in mounts.OrderByDescending(m => m.Length))
            {
                const int MNT_DETACH = 2;
                if (Libc.umount2(target, MNT_DETACH) != 0 && round == 2)
                    errors.Add($"umount {target}: errno {System.Runtime.InteropServices.Marshal.GetLastPInvokeError()}");
            }
        }
    }

    /// <summary>Mount points at or under <paramref name="root"/>, from /proc/self/mountinfo.</summary>
    public static List<string> MountsUnder(string root)
    {
        var found = new List<string>();
        foreach (var line in File.ReadAllLines("/proc/self/mountinfo"))
        {
            var fields = line.Split(' ');
            if (fields.Length < 5)
                continue;
            var target = Unescape(fields[4]);
            if (target == root || target.StartsWith(root + "/", StringComparison.Ordinal))
                found.Add(target);
        }
        return found;
    }

    /// <summary>mountinfo escapes space, tab, newline and backslash as \ooo.</summary>
    private static string Unescape(string field)
    {
        if (!field.Contains('\\'))
            return field;
        var text = new System.Text.StringBuilder();
        for (var i = 0; i < field.Length; i++)
        {
            if (field[i] == '\\' && i + 3 < field.Length)
            {
                text.Append((char)Convert.ToInt32(field.Substring(i + 1, 3), 8));
                i += 3;
            }
            else
            {
                text.Append(field[i]);
            }
        }
        return text.ToString();
    }

    /// <summary>Removes the cgroups (cgroupfs path /berth/ID) of this root's containers, if any remain.</summary>
    private void RemoveCgroups()
    {
        var ids = ContainerDirs().Select(Path.GetFileName).Where(n => n is { Length: > 0 }).ToList();
        if (ids.Count == 0 || !Directory.Exists("/sys/fs/cgroup"))
            return;
        var bases = new List<string> { "/sys/fs/cgroup" };
        bases.AddRange(Directory.EnumerateDirectories("/sys/fs/cgroup"));
        foreach (var b in bases)
        {
            foreach (var id in ids)
            {
                var dir = Path.Combine(b, "berth", id!);
                try
                {
                    if (Directory.Exists(dir))
                        Directory.Delete(dir);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    // Still busy: nothing more can be done without the processes.
                }
            }
        }
    }
}
