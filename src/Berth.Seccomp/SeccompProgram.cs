namespace Berth.Seccomp;

/// <summary>
/// A compiled seccomp filter: classic BPF instructions ready for
/// <c>seccomp(SECCOMP_SET_MODE_FILTER, Flags, &amp;prog)</c>.
/// </summary>
public sealed record SeccompProgram(IReadOnlyList<SockFilter> Instructions, uint Flags)
{
    /// <summary>True when an action is SCMP_ACT_NOTIFY, so loading returns a listener fd.</summary>
    public bool NeedsListener { get; init; }
}

/// <summary>struct sock_filter from linux/filter.h.</summary>
public readonly record struct SockFilter(ushort Code, byte Jt, byte Jf, uint K);
