using System.Diagnostics;
using System.Runtime.CompilerServices;

namespace Berth.Runtime.IntegrationTests.Harness;

/// <summary>
/// The runtime under test: <c>BERTH_TEST_RUNTIME</c> (a name looked up on PATH, or a path), or
/// by default <c>REPO/out/bin/berth-runtime</c>. The same suite runs against runc and crun to
/// prove the tests right, then against berth-runtime.
/// </summary>
public sealed class RuntimeBinary
{
    public const string EnvironmentVariable = "BERTH_TEST_RUNTIME";

    private static readonly Lazy<RuntimeBinary> Current = new(Resolve);
    private readonly Dictionary<string, bool> supported = [];

    private RuntimeBinary(string path)
    {
        Path = path;
        Name = System.IO.Path.GetFileName(path);
    }

    /// <summary>The absolute path of the executable.</summary>
    public string Path { get; }

    /// <summary>Its file name: runc, crun, berth-runtime.</summary>
    public string Name { get; }

    public static RuntimeBinary Instance => Current.Value;

    /// <summary>
    /// Whether the runtime implements a command at all (crun 1.8 has no <c>events</c> or
    /// <c>features</c>). Tests of such commands are skipped, not failed, for that runtime.
    /// </summary>
    public bool Supports(string command)
    {
        lock (supported)
        {
            if (supported.TryGetValue(command, out var known))
                return known;
            var info = new ProcessStartInfo(Path, [command, "--help"])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            using var process = System.Diagnostics.Process.Start(info)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEnd();
            if (!process.WaitForExit(10_000))
                process.Kill();
            process.WaitForExit();
            // Only a clear "no such command" skips (crun: "unknown command X", runc: "No help
            // topic for 'X'"); anything else runs the test, so a flaky probe fails loudly.
            var text = stdout.Result + stderr;
            var unknown = process.ExitCode != 0
                && (text.Contains("unknown command", StringComparison.OrdinalIgnoreCase)
                    || text.Contains("No help topic", StringComparison.OrdinalIgnoreCase));
            return supported[command] = !unknown;
        }
    }

    private static RuntimeBinary Resolve()
    {
        var configured = Environment.GetEnvironmentVariable(EnvironmentVariable);
        string path;
        if (string.IsNullOrWhiteSpace(configured))
            path = System.IO.Path.Combine(RepoRoot(), "out", "bin", "berth-runtime");
        else if (configured.Contains('/'))
            path = System.IO.Path.GetFullPath(configured);
        else
            path = FindOnPath(configured)
                ?? throw new InvalidOperationException($"{EnvironmentVariable}={configured}: not found on PATH");
        if (!File.Exists(path))
            throw new InvalidOperationException(
                $"runtime `{path}` does not exist: build berth-runtime or set {EnvironmentVariable} (runc, crun or a path)");
        return new RuntimeBinary(path);
    }

    private static string? FindOnPath(string name)
    {
        var dirs = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Concat(["/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin"]);
        return dirs.Select(d => System.IO.Path.Combine(d, name)).FirstOrDefault(File.Exists);
    }

    /// <summary>
    /// The directory holding Berth.slnx, found by walking up from the test assembly, else from
    /// this source file (with <c>--artifacts-path</c> the assembly lives outside the repo).
    /// </summary>
    public static string RepoRoot([CallerFilePath] string sourceFile = "")
    {
        string[] starts = [AppContext.BaseDirectory, System.IO.Path.GetDirectoryName(sourceFile) ?? "/", Environment.CurrentDirectory];
        foreach (var start in starts)
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(System.IO.Path.Combine(dir.FullName, "Berth.slnx")))
                    return dir.FullName;
            }
        }
        throw new InvalidOperationException($"no Berth.slnx above {string.Join(", ", starts)}");
    }
}
