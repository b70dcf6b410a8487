using System.Text.Json;
using System.Text.Json.Serialization;

namespace Berth.Engine.Model;

/// <summary>
/// The host-dependent half of a container's configuration, as the Docker Engine API names it
/// (<c>HostConfig</c> in create and inspect): mounts, resources, security, restart policy,
/// networking mode. Zero and null mean "not set" exactly as in docker.
/// </summary>
public sealed record HostConfig
{
    public IReadOnlyList<string>? Binds { get; init; }
    public string ContainerIDFile { get; init; } = "";
    public LogConfig LogConfig { get; init; } = new();
    public string NetworkMode { get; init; } = "";
    public IReadOnlyDictionary<string, IReadOnlyList<PortBinding>>? PortBindings { get; init; }
    public RestartPolicy RestartPolicy { get; init; } = new();
    public bool AutoRemove { get; init; }
    public IReadOnlyList<string>? VolumesFrom { get; init; }
    public IReadOnlyList<int>? ConsoleSize { get; init; }
    public IReadOnlyList<string>? CapAdd { get; init; }
    public IReadOnlyList<string>? CapDrop { get; init; }
    public string CgroupnsMode { get; init; } = "";
    public IReadOnlyList<string>? Dns { get; init; }
    public IReadOnlyList<string>? DnsOptions { get; init; }
    public IReadOnlyList<string>? DnsSearch { get; init; }
    public IReadOnlyList<string>? ExtraHosts { get; init; }
    public IReadOnlyList<string>? GroupAdd { get; init; }
    public string IpcMode { get; init; } = "";
    public string Cgroup { get; init; } = "";
    public int OomScoreAdj { get; init; }
    public string PidMode { get; init; } = "";
    public bool Privileged { get; init; }
    public bool PublishAllPorts { get; init; }
    public bool ReadonlyRootfs { get; init; }
    public IReadOnlyList<string>? SecurityOpt { get; init; }
    public IReadOnlyDictionary<string, string>? StorageOpt { get; init; }
    public IReadOnlyDictionary<string, string>? Tmpfs { get; init; }
    public string UTSMode { get; init; } = "";
    public string UsernsMode { get; init; } = "";
    public long ShmSize { get; init; }
    public IReadOnlyDictionary<string, string>? Sysctls { get; init; }
    public string Runtime { get; init; } = "";
    public string Isolation { get; init; } = "";
    public long CpuShares { get; init; }
    public long Memory { get; init; }
    public long NanoCpus { get; init; }
    public string CgroupParent { get; init; } = "";
    public long CpuPeriod { get; init; }
    public long CpuQuota { get; init; }
    public string CpusetCpus { get; init; } = "";
    public string CpusetMems { get; init; } = "";
    public IReadOnlyList<DeviceMapping>? Devices { get; init; }
    public long MemoryReservation { get; init; }
    public long MemorySwap { get; init; }
    public long? MemorySwappiness { get; init; }
    public bool? OomKillDisable { get; init; }
    public long? PidsLimit { get; init; }
    public IReadOnlyList<Ulimit>? Ulimits { get; init; }
    public IReadOnlyList<MountSpec>? Mounts { get; init; }
    public IReadOnlyList<string>? MaskedPaths { get; init; }
    public IReadOnlyList<string>? ReadonlyPaths { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public bool? Init { get; init; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Extra { get; set; }
}
