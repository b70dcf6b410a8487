using Berth.Engine.Model;

namespace Berth.Engine.Spec;

/// <summary>
/// What <see cref="SpecBuilder"/> decided, as data for the engine to carry out in one place:
/// the runtime spec to write as the bundle's config.json, the files to write first, host
/// directories to create (missing <c>-v</c> sources), the mounts inspect shows, and whether
/// the engine must add every host device (<c>--privileged</c>: the spec then lacks them and the
/// engine enumerates <c>/dev</c>, as docker's <c>HostDevices</c> does).
/// </summary>
public sealed record SpecPlan
{
    public Berth.Oci.Runtime.Spec Spec { get; init; } = new();
    public IReadOnlyList<SpecFile> Files { get; init; } = [];
    public IReadOnlyList<string> CreateDirectories { get; init; } = [];
    public IReadOnlyList<MountPoint> MountPoints { get; init; } = [];
    public bool AllHostDevices { get; init; }
}
