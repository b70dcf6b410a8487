namespace Berth.Engine.Model;

/// <summary>Docker's <c>HostConfig.LogConfig</c>: the log driver and its options (max-size, max-file).</summary>
public sealed record LogConfig
{
    public string Type { get; init; } = "";
    public IReadOnlyDictionary<string, string> Config { get; init; } = new Dictionary<string, string>();
}
