using Berth.Engine.Distribution;

namespace Berth.Cli.Transfers;

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
