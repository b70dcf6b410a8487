namespace Berth.Engine.Model;

/// <summary>
/// A mount as the container got it, in docker's inspect shape (<c>Mounts[]</c>): resolved from
/// <c>-v</c>, <c>--mount</c> and <c>--tmpfs</c> when the container is created.
/// </summary>
public sealed record MountPoint
{
    public string Type { get; init; } = "";
    public string Source { get; init; } = "";
    public string Destination { get; init; } = "";
    public string Mode { get; init; } = "";
    public bool RW { get; init; }
    public string Propagation { get; init; } = "";
}
