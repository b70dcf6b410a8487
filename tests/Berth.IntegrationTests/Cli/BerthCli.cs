using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Text;

namespace Berth.IntegrationTests.Cli;

/// <summary>
/// Where the built binaries are and how to run them: BERTH_TEST_BIN_DIR (default REPO/out/bin,
/// REPO found by walking up to Berth.slnx) holds berth, berth-monitor and berth-runtime.
/// </summary>
public static class BerthCli
{
    /// <summary>What a berth command did: its exit code and everything it wrote.</summary>
    public sealed record Result(int ExitCode, string Stdout, string Stderr)
    {
        public override string ToString() => $"exit {ExitCode}\n--- stdout ---\n{Stdout}\n--- stderr ---\n{Stderr}";
    }

    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(60);

    public static string Repo { get; } = FindRepo();

    public static string BinDir { get; } =
        Environment.GetEnvironmentVariable("BERTH_TEST_BIN_DIR") is { Length: > 0 } dir ? Path.GetFullPath(dir) : Path.Combine(Repo, "out/bin");

    public static string Berth => Path.Combine(BinDir, "berth");

    /// <summary>
    /// The runtimes a runtime-behaviour test runs under: berth-runtime, and runc (and crun, see
    /// below) when installed: they prove the test right. Pass the value to <see cref="RuntimeArgs"/>.
    /// </summary>
    public static TheoryData<string> Runtimes()
    {
        var data = new TheoryData<string> { "berth-runtime" };
        // runc and crun run the same tests to prove them right (berth writes ociVersion 1.0.2-dev,
        // which Debian's crun 1.8 accepts).
        string[] peers = ["runc", "crun"];
        foreach (var peer in peers)
        {
            if (new[] { "/usr/sbin", "/usr/bin", "/sbin", "/bin" }.Any(d => File.Exists(Path.Combine(d, peer))))
                data.Add(peer);
        }
        return data;
    }

    /// <summary>The global options selecting <paramref name="runtime"/> (none for berth-runtime, the default).</summary>
    public static string[] RuntimeArgs(string runtime) => runtime == "berth-runtime" ? [] : ["--runtime", runtime];

    /// <summary>Why berth's CLI tests cannot run here, or null.</summary>
    public static string? SkipReason()
    {
        if (Environment.UserName != "root")
            return "needs root";
        foreach (var binary in new[] { "berth", "berth-monitor", "berth-runtime" })
        {
            if (!File.Exists(Path.Combine(BinDir, binary)))
                return $"{binary} not built in {BinDir} (scripts/build, or set BERTH_TEST_BIN_DIR)";
        }
        return File.Exists("/bin/busybox") ? null : "no /bin/busybox (apt-get install -y busybox-static)";
    }

    /// <summary>
    /// Starts <c>berth ARGS</c> with stdout and stderr (and stdin if asked) redirected. The caller
    /// owns the process (fault tests kill it at chosen moments).
    /// </summary>
    public static Process Start(IEnumerable<string> args, bool redirectStdin = false)
    {
        var info = new ProcessStartInfo(Berth)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = redirectStdin,
            UseShellExecute = false,
        };
        foreach (var arg in args)
            info.ArgumentList.Add(arg);
        return Process.Start(info) ?? throw new InvalidOperationException("berth did not start");
    }

    /// <summary>
    /// Runs <c>berth ARGS</c> to its end. Past <paramref name="timeout"/> the berth process (and only
    /// it, by PID) is killed and the test fails, showing what it had written.
    /// </summary>
    public static Result Run(IEnumerable<string> args, string? stdin = null, TimeSpan? timeout = null)
    {
        var argv = args.ToList();
        using var process = Start(argv, redirectStdin: true);
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        try
        {
            if (stdin is not null)
                process.StandardInput.Write(stdin);
            process.StandardInput.Close();
        }
        catch (IOException)
        {
            // The command exited without reading its input (EPIPE): its result says why.
        }
        var limit = timeout ?? DefaultTimeout;
        if (!process.WaitForExit(limit))
        {
            var pid = process.Id;
            try
            {
                process.Kill(entireProcessTree: false);
            }
            catch (InvalidOperationException)
            {
                // It ended between the wait and the kill.
            }
            process.WaitForExit();
            Assert.Fail($"berth {string.Join(' ', argv)} (pid {pid}) did not finish within {limit.TotalSeconds:0}s; killed.\n" +
                        $"stdout: {Drain(stdout)}\nstderr: {Drain(stderr)}");
        }
        process.WaitForExit();
        return new Result(process.ExitCode, stdout.GetAwaiter().GetResult(), stderr.GetAwaiter().GetResult());
    }

    private static string Drain(Task<string> output) => output.Wait(TimeSpan.FromSeconds(2)) ? output.Result : "(still open: a child holds the pipe)";

    /// <summary>Quotes argv for messages.</summary>
    public static string Show(IEnumerable<string> args)
    {
        var text = new StringBuilder("berth");
        foreach (var arg in args)
            text.Append(' ').Append(arg.Length == 0 || arg.Any(c => char.IsWhiteSpace(c) || c is '\'' or '"' or '$' or '{') ? $"'{arg}'" : arg);
        return text.ToString();
    }

    private static string FindRepo()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Berth.slnx")))
                return dir.FullName;
        }
        // Built into a separate artifacts path: start from where this source file was compiled.
        for (var dir = new DirectoryInfo(Path.GetDirectoryName(SourceFile()) ?? "/"); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Berth.slnx")))
                return dir.FullName;
        }
        return Directory.GetCurrentDirectory();
    }

    private static string SourceFile([CallerFilePath] string path = "") => path;
}

/// <summary>A fact on berth's CLI: skipped, saying why, when not root or the binaries are not built.</summary>
public sealed class BerthFactAttribute : FactAttribute
{
    public BerthFactAttribute()
    {
        if (BerthCli.SkipReason() is { } reason)
            Skip = reason;
    }
}

/// <summary>A theory on berth's CLI, skipped as <see cref="BerthFactAttribute"/>.</summary>
public sealed class BerthTheoryAttribute : TheoryAttribute
{
    public BerthTheoryAttribute()
    {
        if (BerthCli.SkipReason() is { } reason)
            Skip = reason;
    }
}
