namespace Berth.Oci.Runtime;

/// <summary>The Linux-specific part of the configuration (config-linux.md).</summary>
public sealed record Linux
{
    public IReadOnlyList<LinuxIdMapping>? UidMappings { get; init; }
    public IReadOnlyList<LinuxIdMapping>? GidMappings { get; init; }
    public IReadOnlyDictionary<string, string>? Sysctl { get; init; }
    public LinuxResources? Resources { get; init; }
    public string? CgroupsPath { get; init; }
    public IReadOnlyList<LinuxNamespace>? Namespaces { get; init; }
    public IReadOnlyList<LinuxDevice>? Devices { get; init; }
    public LinuxSeccomp? Seccomp { get; init; }
    public string? RootfsPropagation { get; init; }
    public IReadOnlyList<string>? MaskedPaths { get; init; }
    public IReadOnlyList<string>? ReadonlyPaths { get; init; }
    public string? MountLabel { get; init; }
    public LinuxPersonality? Personality { get; init; }
    public IReadOnlyDictionary<string, LinuxTimeOffset>? TimeOffsets { get; init; }
}

/// <summary>A namespace to create (no path) or to join (path to a <c>/proc/PID/ns/*</c> file).</summary>
public sealed record LinuxNamespace
{
    public string Type { get; init; } = "";
    public string? Path { get; init; }
}

public sealed record LinuxIdMapping
{
    public uint ContainerID { get; init; }
    public uint HostID { get; init; }
    public uint Size { get; init; }
}

/// <summary>A device node created in the container's <c>/dev</c>.</summary>
public sealed record LinuxDevice
{
    public string Path { get; init; } = "";
    public string Type { get; init; } = "";
    public long Major { get; init; }
    public long Minor { get; init; }
    public uint? FileMode { get; init; }
    public uint? Uid { get; init; }
    public uint? Gid { get; init; }
}

public sealed record LinuxPersonality
{
    public string Domain { get; init; } = "";
    public IReadOnlyList<string>? Flags { get; init; }
}

public sealed record LinuxTimeOffset
{
    public long Secs { get; init; }
    public uint Nanosecs { get; init; }
}
