namespace Berth.Engine.Spec;

/// <summary>A rule: names (or the legacy single name), action, argument conditions, and when it applies.</summary>
public sealed record DockerSeccompSyscall
{
    public string? Name { get; init; }
    public IReadOnlyList<string>? Names { get; init; }
    public string Action { get; init; } = "";
    public uint? ErrnoRet { get; init; }
    public IReadOnlyList<DockerSeccompArg>? Args { get; init; }
    public string? Comment { get; init; }
    public DockerSeccompFilter? Includes { get; init; }
    public DockerSeccompFilter? Excludes { get; init; }
}
