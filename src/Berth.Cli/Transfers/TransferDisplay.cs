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

/// <summary>One line per state change; byte progress is left out (docker's output when not on a terminal).</summary>
internal sealed class PlainTransferProgress(TextWriter output) : ITransferProgress
{
    private readonly Lock _lock = new();

    public void Status(string line)
    {
        lock (_lock)
            output.WriteLine(line);
    }

    public void Layer(string id, string status, long current = 0, long total = 0)
    {
        if (status is "Downloading" or "Pushing" or "Extracting")
            return;
        lock (_lock)
            output.WriteLine($"{id}: {status}");
    }
}

/// <summary>Each layer on its own line, rewritten in place with ANSI cursor moves as its state changes.</summary>
internal sealed class TtyTransferProgress(TextWriter output) : ITransferProgress
{
    private readonly Lock _lock = new();
    private readonly List<string> _ids = [];

    public void Status(string line)
    {
        lock (_lock)
        {
            // A whole-transfer line ends the block of layer lines above it.
            _ids.Clear();
            output.Write(line + "\n");
            output.Flush();
        }
    }

    public void Layer(string id, string status, long current = 0, long total = 0)
    {
        var text = status is "Downloading" or "Pushing" && total > 0 ? $"{id}: {status} {TransferDisplay.Bar(current, total)}" : $"{id}: {status}";
        lock (_lock)
        {
            var at = _ids.IndexOf(id);
            if (at < 0)
            {
                _ids.Add(id);
                output.Write("\x1b[2K" + text + "\n");
            }
            else
            {
                var up = _ids.Count - at;
                output.Write($"\x1b[{up}A\r\x1b[2K{text}\x1b[{up}B\r");
            }
            output.Flush();
        }
    }
}
