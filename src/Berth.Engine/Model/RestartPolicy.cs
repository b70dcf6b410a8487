namespace Berth.Engine.Model;

/// <summary>
/// Docker's restart policy: Name is "" or "no", "always", "unless-stopped" or "on-failure"
/// (MaximumRetryCount bounds on-failure; 0 means no bound).
/// </summary>
public sealed record RestartPolicy
{
    public string Name { get; init; } = "no";
    public int MaximumRetryCount { get; init; }
}
