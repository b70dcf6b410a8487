using Berth.Engine.Model;
using Berth.Oci.Runtime;

namespace Berth.Engine.Spec;

/// <summary>
/// The user's mounts of one container (<c>-v</c>, <c>--mount</c>, <c>--tmpfs</c>) resolved by
/// <see cref="MountPlanner"/>: spec mounts in the order given (the builder sorts them with the
/// network files), what inspect shows, and host directories the engine must create first
/// (a missing <c>-v</c> source, as docker creates it).
/// </summary>
public sealed record MountPlan
{
    public IReadOnlyList<Mount> Mounts { get; init; } = [];
    public IReadOnlyList<MountPoint> MountPoints { get; init; } = [];
    public IReadOnlyList<string> CreateDirectories { get; init; } = [];
}
