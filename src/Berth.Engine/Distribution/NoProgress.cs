namespace Berth.Engine.Distribution;

/// <summary>Reports nothing (-q, and the library's callers that do not show progress).</summary>
public sealed class NoProgress : ITransferProgress
{
    public static NoProgress Instance { get; } = new();

    public void Status(string line)
    {
    }

    public void Layer(string id, string status, long current = 0, long total = 0)
    {
    }
}
