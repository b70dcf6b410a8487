namespace Berth.Runtime.IntegrationTests.Harness;

/// <summary>How to start one runtime invocation.</summary>
public sealed record RunOptions
{
    public static readonly RunOptions Default = new();

    /// <summary>Bytes fed on stdin; null gives /dev/null.</summary>
    public string? Stdin { get; init; }

    /// <summary>Files opened read-only as fds 3, 4, … of the runtime (for <c>--preserve-fds</c>).</summary>
    public IReadOnlyList<string> ExtraFds { get; init; } = [];

    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(30);
}
