using System.Diagnostics;

namespace Berth.IntegrationTests.Interop;

/// <summary>Runs a peer's command line and returns its stdout; a non-zero exit fails the test with its stderr.</summary>
internal static class Peer
{
    /// <summary>Where an apt-installed peer lives, or null when it is not installed.</summary>
    public static string? Find(string name) =>
        new[] { "/usr/bin", "/usr/sbin", "/usr/local/bin", "/bin", "/sbin" }.Select(d => Path.Combine(d, name)).FirstOrDefault(File.Exists);

    public static async Task<string> RunAsync(string file, IEnumerable<string> arguments, IDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
            start.Environment[key] = value;
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} {string.Join(' ', start.ArgumentList)}: no exit after 3 minutes");
        }
        Assert.True(process.ExitCode == 0,
            $"{file} {string.Join(' ', start.ArgumentList)}: exit {process.ExitCode}: {await stderr}");
        return await stdout;
    }

    /// <summary>
    /// Runs a containers/image peer (podman, skopeo, buildah) so that it cannot touch the host's
    /// /var/lib: they write a blob-info cache to /var/lib/containers/cache whatever --root says,
    /// creating it when absent. The command runs in a private mount namespace with an overlay on
    /// /var/lib whose upper layer is under <paramref name="scratch"/>, so whatever it writes there
    /// goes away with the test's directory.
    /// </summary>
    public static Task<string> RunIsolatedAsync(string file, IEnumerable<string> arguments, string scratch, IDictionary<string, string>? environment = null)
    {
        var (isolated, isolatedArguments) = Isolate(file, arguments, scratch);
        return RunAsync(isolated, isolatedArguments, environment);
    }

    /// <summary>The command line <see cref="RunIsolatedAsync"/> runs (tests/peers/isolated.sh), for callers that want the exit code themselves.</summary>
    public static (string File, IReadOnlyList<string> Arguments) Isolate(string file, IEnumerable<string> arguments, string scratch) =>
        (IsolatedScript(), [scratch, file, .. arguments]);

    private static string IsolatedScript([System.Runtime.CompilerServices.CallerFilePath] string source = "") =>
        Path.GetFullPath(Path.Combine(Path.GetDirectoryName(source)!, "..", "..", "peers", "isolated.sh"));
}
