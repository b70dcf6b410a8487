namespace Berth.Runtime.Lifecycle;

/// <summary>The options of `create` and `run`.</summary>
public sealed record CreateOptions
{
    public string Bundle { get; init; } = ".";
    public string? PidFile { get; init; }
    public string? ConsoleSocket { get; init; }
    public bool NoPivot { get; init; }
    public int PreserveFds { get; init; }
}
