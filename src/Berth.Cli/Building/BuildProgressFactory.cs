using Berth.Errdefs;

namespace Berth.Cli.Building;

/// <summary>
/// Picks the display for <c>--progress</c>, as buildx does: <c>auto</c> (or empty) is the live tty
/// display when stderr is a terminal, else plain; <c>tty</c> insists on a terminal and fails
/// without one; <c>plain</c> and <c>quiet</c> are what they say. The display writes to stderr.
/// Colours follow BuildKit: none when <c>NO_COLOR</c> is set.
/// </summary>
public static class BuildProgressFactory
{
    public static readonly IReadOnlyList<string> Modes = ["auto", "plain", "tty", "quiet"];

    /// <summary>The display for <paramref name="mode"/> on this process's stderr.</summary>
    public static IBuildDisplay Create(string mode) =>
        Create(mode, Console.Error, StderrTerminal.IsTerminal(), StderrTerminal.Size, TimeProvider.System, Environment.GetEnvironmentVariable);

    /// <summary>The mode when <c>--progress</c> is not given: <c>BUILDKIT_PROGRESS</c> if set, else auto (docker's rule).</summary>
    public static string DefaultMode(Func<string, string?>? environment = null)
    {
        var value = (environment ?? Environment.GetEnvironmentVariable)("BUILDKIT_PROGRESS");
        return string.IsNullOrEmpty(value) ? "auto" : value;
    }

    /// <summary>The same choice over any writer, for tests and for a verb that draws elsewhere.</summary>
    public static IBuildDisplay Create(string mode, TextWriter stderr, bool isTerminal, Func<(int Columns, int Rows)> size, TimeProvider time, Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(mode);
        ArgumentNullException.ThrowIfNull(environment);
        switch (mode)
        {
            case "" or "auto" when isTerminal:
            case "tty" when isTerminal:
                return new TtyProgress(stderr, size, time, color: string.IsNullOrEmpty(environment("NO_COLOR")));
            case "tty":
                // buildx: "failed to get console: provided file is not a console".
                throw BerthException.FailedPrecondition("progress mode `tty`: failed to get console: stderr is not a console");
            case "" or "auto" or "plain":
                return new PlainProgress(stderr, time);
            case "quiet":
                return new QuietProgress();
            default:
                throw BerthException.InvalidArgument($"progress mode `{mode}`: invalid progress mode {mode} (use one of {string.Join(", ", Modes)})");
        }
    }
}
