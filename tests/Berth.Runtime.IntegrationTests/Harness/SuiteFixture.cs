using System.Diagnostics;

namespace Berth.Runtime.IntegrationTests.Harness;

/// <summary>
/// The collection fixture: resolves the runtime and builds the busybox rootfs once
/// (tests/fixtures/make-rootfs.sh). Several collections run in parallel and share one rootfs,
/// counted by reference; the last to finish removes it.
/// </summary>
public sealed class SuiteFixture : IDisposable
{
    /// <summary>The parent of every test cgroup, in each hierarchy.</summary>
    public const string CgroupParent = "/berth-it";

    private static readonly object Gate = new();
    private static string? sharedDir;
    private static int users;

    public SuiteFixture()
    {
        Runtime = RuntimeBinary.Instance;
        lock (Gate)
        {
            sharedDir ??= Build();
            users++;
            Rootfs = Path.Combine(sharedDir, "rootfs");
        }
    }

    public RuntimeBinary Runtime { get; }

    /// <summary>The pristine rootfs; bundles copy it.</summary>
    public string Rootfs { get; }

    public void Dispose()
    {
        lock (Gate)
        {
            if (--users > 0 || sharedDir is null)
                return;
            Directory.Delete(sharedDir, recursive: true);
            sharedDir = null;
            CgroupHierarchies.TryRemoveEmpty(CgroupParent);
        }
    }

    private static string Build()
    {
        var dir = Directory.CreateTempSubdirectory("berth-it-rootfs-").FullName;
        var script = Path.Combine(RuntimeBinary.RepoRoot(), "tests", "fixtures", "make-rootfs.sh");
        var info = new ProcessStartInfo("bash", [script, Path.Combine(dir, "rootfs")])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            Directory.Delete(dir, recursive: true);
            throw new InvalidOperationException($"{script} failed ({process.ExitCode}): {stderr}{stdout.Result}");
        }
        return dir;
    }
}
