namespace Berth.Oci.Runtime;

/// <summary>
/// A seccomp profile: the default action, the architectures it covers and rules per syscall
/// name. Actions are the libseccomp names (<c>SCMP_ACT_ERRNO</c>…), comparison operators
/// <c>SCMP_CMP_EQ</c>… and flags <c>SECCOMP_FILTER_FLAG_*</c>, as the spec gives them.
/// </summary>
public sealed record LinuxSeccomp
{
    public string DefaultAction { get; init; } = "";
    public uint? DefaultErrnoRet { get; init; }
    public IReadOnlyList<string>? Architectures { get; init; }
    public IReadOnlyList<string>? Flags { get; init; }
    public string? ListenerPath { get; init; }
    public string? ListenerMetadata { get; init; }
    public IReadOnlyList<LinuxSyscall>? Syscalls { get; init; }
}

public sealed record LinuxSyscall
{
    public IReadOnlyList<string> Names { get; init; } = [];
    public string Action { get; init; } = "";
    public uint? ErrnoRet { get; init; }
    public IReadOnlyList<LinuxSeccompArg>? Args { get; init; }
}

public sealed record LinuxSeccompArg
{
    public uint Index { get; init; }
    public ulong Value { get; init; }
    public ulong ValueTwo { get; init; }
    public string Op { get; init; } = "";
}
