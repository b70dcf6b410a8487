using Xunit.Sdk;

namespace Berth.Runtime.IntegrationTests.Harness;

/// <summary>
/// One finished runtime invocation. Stdout and stderr went to files rather than pipes: a
/// container created without a terminal inherits them and keeps writing after the runtime
/// exits, so <see cref="ReadStdout"/> reads what the container wrote since.
/// </summary>
public sealed record RunResult(
    IReadOnlyList<string> Args, int ExitCode, string Stdout, string Stderr, string StdoutPath, string StderrPath)
{
    public bool Succeeded => ExitCode == 0;

    /// <summary>Stdout as it is now, including what a container wrote after the runtime exited.</summary>
    public string ReadStdout() => File.ReadAllText(StdoutPath);

    public string ReadStderr() => File.ReadAllText(StderrPath);

    /// <summary>Throws, showing the invocation and its output, unless it exited 0.</summary>
    public RunResult AssertSuccess()
    {
        if (ExitCode != 0)
            throw new XunitException($"expected success: {this}");
        return this;
    }

    /// <summary>
    /// Asserts the runtime refused: exit status 1 (runc's and crun's code for every error) and a
    /// message on stderr.
    /// </summary>
    public RunResult AssertFailure()
    {
        if (ExitCode != 1)
            throw new XunitException($"expected exit 1: {this}");
        if (string.IsNullOrWhiteSpace(Stderr))
            throw new XunitException($"expected a message on stderr: {this}");
        return this;
    }

    /// <summary>
    /// Asserts the runtime refused with a message, whatever the non-zero status: where the
    /// status belongs to the process (<c>exec</c>, <c>run</c>) runc uses 255 for its own errors,
    /// and crun uses 255 for some refusals.
    /// </summary>
    public RunResult AssertRefused()
    {
        if (ExitCode == 0)
            throw new XunitException($"expected a failure: {this}");
        if (string.IsNullOrWhiteSpace(Stderr))
            throw new XunitException($"expected a message on stderr: {this}");
        return this;
    }

    public override string ToString() =>
        $"`{string.Join(' ', Args)}` exited {ExitCode}\n--- stdout\n{Clip(Stdout)}\n--- stderr\n{Clip(Stderr)}";

    private static string Clip(string s) => s.Length <= 4000 ? s : s[..4000] + "…";
}
