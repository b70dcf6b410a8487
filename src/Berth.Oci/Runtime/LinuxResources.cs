namespace Berth.Oci.Runtime;

/// <summary>Cgroup limits (config-linux.md, "Control groups").</summary>
public sealed record LinuxResources
{
    public IReadOnlyList<LinuxDeviceCgroup>? Devices { get; init; }
    public LinuxMemory? Memory { get; init; }
    public LinuxCpu? Cpu { get; init; }
    public LinuxPids? Pids { get; init; }
    public LinuxBlockIO? BlockIO { get; init; }
    public IReadOnlyList<LinuxHugepageLimit>? HugepageLimits { get; init; }
    public LinuxNetwork? Network { get; init; }
    public IReadOnlyDictionary<string, LinuxRdma>? Rdma { get; init; }
    public IReadOnlyDictionary<string, string>? Unified { get; init; }
}

/// <summary>A device cgroup rule: allow or deny access (r, w, m) to a type and major:minor.</summary>
public sealed record LinuxDeviceCgroup
{
    public bool Allow { get; init; }
    public string? Type { get; init; }
    public long? Major { get; init; }
    public long? Minor { get; init; }
    public string? Access { get; init; }
}

public sealed record LinuxMemory
{
    public long? Limit { get; init; }
    public long? Reservation { get; init; }
    public long? Swap { get; init; }
    public long? Kernel { get; init; }
    public long? KernelTCP { get; init; }
    public ulong? Swappiness { get; init; }
    public bool? DisableOOMKiller { get; init; }
    public bool? UseHierarchy { get; init; }
    public bool? CheckBeforeUpdate { get; init; }
}

public sealed record LinuxCpu
{
    public ulong? Shares { get; init; }
    public long? Quota { get; init; }
    public ulong? Burst { get; init; }
    public ulong? Period { get; init; }
    public long? RealtimeRuntime { get; init; }
    public ulong? RealtimePeriod { get; init; }
    public string? Cpus { get; init; }
    public string? Mems { get; init; }
    public long? Idle { get; init; }
}

public sealed record LinuxPids
{
    public long Limit { get; init; }
}

public sealed record LinuxBlockIO
{
    public ushort? Weight { get; init; }
    public ushort? LeafWeight { get; init; }
    public IReadOnlyList<LinuxWeightDevice>? WeightDevice { get; init; }
    public IReadOnlyList<LinuxThrottleDevice>? ThrottleReadBpsDevice { get; init; }
    public IReadOnlyList<LinuxThrottleDevice>? ThrottleWriteBpsDevice { get; init; }
    public IReadOnlyList<LinuxThrottleDevice>? ThrottleReadIOPSDevice { get; init; }
    public IReadOnlyList<LinuxThrottleDevice>? ThrottleWriteIOPSDevice { get; init; }
}

public sealed record LinuxWeightDevice
{
    public long Major { get; init; }
    public long Minor { get; init; }
    public ushort? Weight { get; init; }
    public ushort? LeafWeight { get; init; }
}

public sealed record LinuxThrottleDevice
{
    public long Major { get; init; }
    public long Minor { get; init; }
    public ulong Rate { get; init; }
}

public sealed record LinuxHugepageLimit
{
    public string PageSize { get; init; } = "";
    public ulong Limit { get; init; }
}

public sealed record LinuxNetwork
{
    public uint? ClassID { get; init; }
    public IReadOnlyList<LinuxInterfacePriority>? Priorities { get; init; }
}

public sealed record LinuxInterfacePriority
{
    public string Name { get; init; } = "";
    public uint Priority { get; init; }
}

public sealed record LinuxRdma
{
    public uint? HcaHandles { get; init; }
    public uint? HcaObjects { get; init; }
}
