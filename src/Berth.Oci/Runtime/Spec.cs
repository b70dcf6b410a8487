namespace Berth.Oci.Runtime;

/// <summary>
/// The OCI runtime specification's <c>config.json</c>: everything a runtime needs to create a
/// container from a bundle. Names follow the spec (runtime-spec 1.2, config.md and
/// config-linux.md) so the JSON round-trips unchanged; fields the spec marks optional are null
/// when absent, and unknown fields are ignored, as the spec asks of a runtime.
/// </summary>
public sealed record Spec
{
    public string OciVersion { get; init; } = "";
    public Process? Process { get; init; }
    public Root? Root { get; init; }
    public string? Hostname { get; init; }
    public string? Domainname { get; init; }
    public IReadOnlyList<Mount>? Mounts { get; init; }
    public Hooks? Hooks { get; init; }
    public IReadOnlyDictionary<string, string>? Annotations { get; init; }
    public Linux? Linux { get; init; }
}

/// <summary>The container's root filesystem, relative to the bundle unless absolute.</summary>
public sealed record Root
{
    public string Path { get; init; } = "";
    public bool Readonly { get; init; }
}

/// <summary>A mount set up inside the container before its process starts.</summary>
public sealed record Mount
{
    public string Destination { get; init; } = "";
    public string? Type { get; init; }
    public string? Source { get; init; }
    public IReadOnlyList<string>? Options { get; init; }
    public IReadOnlyList<LinuxIdMapping>? UidMappings { get; init; }
    public IReadOnlyList<LinuxIdMapping>? GidMappings { get; init; }
}

/// <summary>Programs the runtime runs at points of the container's lifecycle.</summary>
public sealed record Hooks
{
    public IReadOnlyList<Hook>? Prestart { get; init; }
    public IReadOnlyList<Hook>? CreateRuntime { get; init; }
    public IReadOnlyList<Hook>? CreateContainer { get; init; }
    public IReadOnlyList<Hook>? StartContainer { get; init; }
    public IReadOnlyList<Hook>? Poststart { get; init; }
    public IReadOnlyList<Hook>? Poststop { get; init; }
}

/// <summary>One hook: an absolute path, its argv (argv[0] included) and environment.</summary>
public sealed record Hook
{
    public string Path { get; init; } = "";
    public IReadOnlyList<string>? Args { get; init; }
    public IReadOnlyList<string>? Env { get; init; }
    public int? Timeout { get; init; }
}
