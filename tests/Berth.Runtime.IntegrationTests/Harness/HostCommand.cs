using System.Diagnostics;

namespace Berth.Runtime.IntegrationTests.Harness;

/// <summary>Runs a host tool (ip, stat) and returns its stdout, throwing with stderr on failure.</summary>
public static class HostCommand
{
    public static string Run(string file, params string[] args)
    {
        var info = new ProcessStartInfo(file, args) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = System.Diagnostics.Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEnd();
        if (!process.WaitForExit(20_000))
        {
            process.Kill();
            throw new TimeoutException($"{file} {string.Join(' ', args)} did not finish");
        }
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{file} {string.Join(' ', args)} exited {process.ExitCode}: {stderr}");
        return stdout.Result;
    }
}
