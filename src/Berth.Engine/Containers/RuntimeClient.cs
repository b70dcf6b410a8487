using System.Diagnostics;
using Berth.Errdefs;

namespace Berth.Engine.Containers;

/// <summary>
/// The engine's side of the engine ⇄ runtime seam: runc's command line (berth-runtime, runc or
/// crun), with the runtime's state under <c>RUNROOT/runtime</c>. Failures carry the runtime's
/// own message.
/// </summary>
public sealed class RuntimeClient
{
    public RuntimeClient(string runtimePath, string stateRoot)
    {
        RuntimePath = runtimePath;
        StateRoot = stateRoot;
    }

    public string RuntimePath { get; }

    public string StateRoot { get; }

    public void Kill(string id, string signal, bool all = false) =>
        Run(all ? ["kill", "--all", id, signal] : ["kill", id, signal], $"kill container `{id}`");

    public void Pause(string id) => Run(["pause", id], $"pause container `{id}`");

    public void Resume(string id) => Run(["resume", id], $"unpause container `{id}`");

    public void Delete(string id) => Run(["delete", "--force", id], $"delete container `{id}`");

    /// <summary>The full argument list for a runtime command, global options first.</summary>
    public IReadOnlyList<string> Arguments(IEnumerable<string> args) => ["--root", StateRoot, .. args];

    /// <summary>Runs a runtime command to completion; throws with its stderr when it fails.</summary>
    public string Run(IReadOnlyList<string> args, string what)
    {
        var start = new ProcessStartInfo(RuntimePath)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = false,
            UseShellExecute = false,
        };
        foreach (var arg in Arguments(args))
            start.ArgumentList.Add(arg);
        using var process = Process.Start(start) ?? throw BerthException.Internal($"{what}: cannot start `{RuntimePath}`");
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            var message = Clean(stderr.Result);
            var kind = message.Contains("does not exist", StringComparison.Ordinal) || message.Contains("not found", StringComparison.Ordinal)
                ? ErrorKind.NotFound
                : ErrorKind.FailedPrecondition;
            throw new BerthException(kind, $"{what}: {message}");
        }
        return stdout;
    }

    /// <summary>The last meaningful line of a runtime's stderr, without its program-name or logrus prefix.</summary>
    public static string Clean(string stderr)
    {
        var line = stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault() ?? "runtime failed";
        var msg = line.IndexOf("msg=\"", StringComparison.Ordinal);
        if (msg >= 0)
            line = line[(msg + 5)..].TrimEnd('"');
        foreach (var prefix in new[] { "berth-runtime: ", "runc: ", "crun: ", "Error: " })
        {
            if (line.StartsWith(prefix, StringComparison.Ordinal))
                line = line[prefix.Length..];
        }
        return line;
    }
}
