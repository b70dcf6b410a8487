namespace Berth.Oci.Runtime;

/// <summary>The container's process: what runs, as whom, with which privileges and limits.</summary>
public sealed record Process
{
    public bool Terminal { get; init; }
    public Box? ConsoleSize { get; init; }
    public User User { get; init; } = new();
    public IReadOnlyList<string>? Args { get; init; }
    public string? CommandLine { get; init; }
    public IReadOnlyList<string>? Env { get; init; }
    public string Cwd { get; init; } = "/";
    public LinuxCapabilities? Capabilities { get; init; }
    public IReadOnlyList<PosixRlimit>? Rlimits { get; init; }
    public bool NoNewPrivileges { get; init; }
    public string? ApparmorProfile { get; init; }
    public int? OomScoreAdj { get; init; }
    public string? SelinuxLabel { get; init; }
    public LinuxIoPriority? IoPriority { get; init; }
    public LinuxScheduler? Scheduler { get; init; }
    public CpuAffinity? ExecCPUAffinity { get; init; }
}

public sealed record Box
{
    public uint Height { get; init; }
    public uint Width { get; init; }
}

public sealed record User
{
    public uint Uid { get; init; }
    public uint Gid { get; init; }
    public uint? Umask { get; init; }
    public IReadOnlyList<uint>? AdditionalGids { get; init; }
    public string? Username { get; init; }
}

/// <summary>Capability names (<c>CAP_SYS_ADMIN</c>…) for each of the five sets.</summary>
public sealed record LinuxCapabilities
{
    public IReadOnlyList<string>? Bounding { get; init; }
    public IReadOnlyList<string>? Effective { get; init; }
    public IReadOnlyList<string>? Inheritable { get; init; }
    public IReadOnlyList<string>? Permitted { get; init; }
    public IReadOnlyList<string>? Ambient { get; init; }
}

/// <summary>An rlimit by name (<c>RLIMIT_NOFILE</c>…).</summary>
public sealed record PosixRlimit
{
    public string Type { get; init; } = "";
    public ulong Hard { get; init; }
    public ulong Soft { get; init; }
}

public sealed record LinuxIoPriority
{
    public string Class { get; init; } = "";
    public int Priority { get; init; }
}

public sealed record LinuxScheduler
{
    public string Policy { get; init; } = "";
    public int Nice { get; init; }
    public int Priority { get; init; }
    public IReadOnlyList<string>? Flags { get; init; }
    public ulong Runtime { get; init; }
    public ulong Deadline { get; init; }
    public ulong Period { get; init; }
}

public sealed record CpuAffinity
{
    public string? Initial { get; init; }
    public string? Final { get; init; }
}
