using Berth.Engine.Distribution;

namespace Berth.Cli.Transfers;

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
        // docker, piped, shows neither byte progress nor the checksum step.
        if (status is "Downloading" or "Pushing" or "Extracting" or "Verifying Checksum")
            return;
        lock (_lock)
            output.WriteLine($"{id}: {status}");
    }
}
