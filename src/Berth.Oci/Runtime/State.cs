namespace Berth.Oci.Runtime;

/// <summary>
/// The state of a container as the runtime reports it (runtime.md, "State"), and as it is
/// written on stdin to hooks. <c>rootfs</c>, <c>created</c> and <c>owner</c> are the fields runc
/// adds and engines read.
/// </summary>
public sealed record State
{
    public string OciVersion { get; init; } = SpecVersion.Current;
    public string Id { get; init; } = "";
    public string Status { get; init; } = "";
    public int Pid { get; init; }
    public string Bundle { get; init; } = "";
    public string? Rootfs { get; init; }
    public DateTime? Created { get; init; }
    public string? Owner { get; init; }
    public IReadOnlyDictionary<string, string>? Annotations { get; init; }
}

/// <summary>The container lifecycle states of runtime.md.</summary>
public static class ContainerStatus
{
    public const string Creating = "creating";
    public const string Created = "created";
    public const string Running = "running";
    public const string Stopped = "stopped";
    public const string Paused = "paused";
}
