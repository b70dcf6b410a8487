using System.Diagnostics;

namespace Berth.Cgroups.Tests;

/// <summary>
/// A real cgroup under a unique name and the processes a test starts in it; Dispose kills
/// those processes by PID and destroys the cgroup whatever the test did.
/// </summary>
public sealed class LiveCgroup : IDisposable
{
    private readonly List<Process> _processes = [];

    public LiveCgroup(Func<string, ICgroup> open)
    {
        Name = "/berth-test-" + Guid.NewGuid().ToString("N")[..10];
        Cgroup = open(Name);
    }

    public string Name { get; }

    public ICgroup Cgroup { get; }

    /// <summary>
    /// Starts `sh` that waits for a line on stdin and then execs <paramref name="script"/>:
    /// the exec happens after the test moved the shell into the cgroup, so the new program's
    /// memory is charged to it.
    /// </summary>
    public Process StartWaiting(string script = "exec sleep 30")
    {
        var start = new ProcessStartInfo("/bin/sh", ["-c", "read go; " + script])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        var process = Process.Start(start)!;
        _processes.Add(process);
        return process;
    }

    public static void Go(Process process)
    {
        process.StandardInput.WriteLine("go");
        process.StandardInput.Flush();
    }

    public void Dispose()
    {
        foreach (var process in _processes)
        {
            try
            {
                if (!process.HasExited)
                {
                    process.Kill();
                    process.WaitForExit(5000);
                }
            }
            catch (InvalidOperationException)
            {
            }
            process.Dispose();
        }
        try
        {
            Cgroup.Thaw();
        }
        catch (Berth.Errdefs.BerthException)
        {
        }
        Cgroup.Destroy();
    }
}
