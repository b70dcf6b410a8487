using System.Diagnostics;
using Xunit.Abstractions;

namespace Berth.Runtime.IntegrationTests.Harness;

/// <summary>
/// Runs the runtime's command line with a private <c>--root</c>. Each call's stdio goes to files
/// under <see cref="WorkDir"/> (via a one-line <c>sh</c> wrapper that redirects and execs), so
/// a container process inheriting them can outlive the call without blocking the test.
/// </summary>
public sealed class RuntimeCli
{
    private const string Wrapper =
        "in=$1 out=$2 err=$3 fds=$4; shift 4; " +
        "i=3; for f in $fds; do eval \"exec $i<\\\"\\$f\\\"\"; i=$((i+1)); done; " +
        "exec \"$@\" <\"$in\" >\"$out\" 2>\"$err\"";

    private readonly ITestOutputHelper? output;
    private int calls;

    public RuntimeCli(RuntimeBinary binary, string root, string workDir, ITestOutputHelper? output)
    {
        Binary = binary;
        Root = root;
        WorkDir = workDir;
        this.output = output;
        Directory.CreateDirectory(workDir);
    }

    public RuntimeBinary Binary { get; }

    /// <summary>The runtime's state directory (<c>--root</c>), private to one test.</summary>
    public string Root { get; }

    public string WorkDir { get; }

    public RunResult Run(params string[] args) => Run(RunOptions.Default, args);

    public RunResult Run(RunOptions options, params string[] args)
    {
        string[] full = ["--root", Root, .. args];
        var n = Interlocked.Increment(ref calls);
        var stem = Path.Combine(WorkDir, $"call{n:D3}-{args.FirstOrDefault() ?? "none"}");
        var stdin = "/dev/null";
        if (options.Stdin is not null)
        {
            stdin = stem + ".in";
            File.WriteAllText(stdin, options.Stdin);
        }
        if (options.ExtraFds.Any(f => f.Contains(' ')))
            throw new ArgumentException("extra fd paths must not contain spaces");
        var info = new ProcessStartInfo("/bin/sh")
        {
            UseShellExecute = false,
            WorkingDirectory = WorkDir,
        };
        foreach (var a in (string[])["-c", Wrapper, "berth-it", stdin, stem + ".out", stem + ".err",
                     string.Join(' ', options.ExtraFds), Binary.Path, .. full])
            info.ArgumentList.Add(a);
        info.Environment["PATH"] = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

        var watch = Stopwatch.StartNew();
        using var process = Process.Start(info)!;
        if (!process.WaitForExit(options.Timeout))
        {
            try { process.Kill(); } catch (InvalidOperationException) { }
            process.WaitForExit(5_000);
            throw new TimeoutException(
                $"`{Binary.Name} {string.Join(' ', full)}` did not finish in {options.Timeout.TotalSeconds}s; " +
                $"stderr: {SafeRead(stem + ".err")}");
        }
        var result = new RunResult([Binary.Name, .. full], process.ExitCode,
            SafeRead(stem + ".out"), SafeRead(stem + ".err"), stem + ".out", stem + ".err");
        output?.WriteLine($"[{watch.ElapsedMilliseconds} ms] {Binary.Name} {string.Join(' ', full)} → {result.ExitCode}"
            + (result.Stderr.Length > 0 ? $"\n  stderr: {result.Stderr.Trim()}" : ""));
        return result;
    }

    private static string SafeRead(string path) => File.Exists(path) ? File.ReadAllText(path) : "";
}
