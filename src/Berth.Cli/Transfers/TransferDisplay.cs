using Berth.Cli.Formatting;
using Berth.Engine.Distribution;
using Berth.Errdefs;

namespace Berth.Cli.Transfers;

/// <summary>
/// docker's pull and push progress on stdout (its jsonmessage display). On a terminal each layer
/// keeps one line, redrawn in place ("Downloading [==>   ]  1.2MB/3.4MB"); elsewhere, or with
/// <c>--progress plain</c>, one line per state change and no byte counts, exactly as docker
/// prints when piped. <c>quiet</c> prints nothing.
/// </summary>
internal static class TransferDisplay
{
    public static readonly IReadOnlyList<string> Modes = ["auto", "plain", "tty", "quiet"];

    public static ITransferProgress Create(string? mode, bool quiet)
    {
        if (quiet)
            return NoProgress.Instance;
        var terminal = Terminal.IsTerminal(1);
        return (mode ?? "auto") switch
        {
            "auto" when terminal => new TtyTransferProgress(Console.Out),
            "tty" => new TtyTransferProgress(Console.Out),
            "auto" or "plain" => new PlainTransferProgress(Console.Out),
            "quiet" => NoProgress.Instance,
            var other => throw BerthException.InvalidArgument($"progress mode `{other}`: use one of {string.Join(", ", Modes)}"),
        };
    }

    /// <summary>
    /// docker's progress bar (jsonmessage): <c>[</c>, one <c>=</c> per 2 %, <c>&gt;</c>, spaces to 50,
    /// <c>] </c>, then current/total in decimal units, current right-aligned in 8 columns.
    /// </summary>
    public static string Bar(long current, long total)
    {
        if (total <= 0)
            return Humanize.HumanSize(current);
        var filled = Math.Clamp((int)(current * 100.0 / total) / 2, 0, 50);
        return $"[{new string('=', filled)}>{new string(' ', 50 - filled)}] {Humanize.HumanSize(current),8}/{Humanize.HumanSize(total)}";
    }
}
