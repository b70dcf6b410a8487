namespace Berth.Seccomp;

/// <summary>
/// A compiled seccomp filter: classic BPF instructions ready for
/// <c>seccomp(SECCOMP_SET_MODE_FILTER, Flags, &amp;prog)</c>.
/// </summary>
public sealed record SeccompProgram(IReadOnlyList<SockFilter> Instructions, uint Flags)
{
    /// <summary>True when an action is SCMP_ACT_NOTIFY, so loading returns a listener fd.</summary>
    public bool NeedsListener { get; init; }

    /// <summary>
    /// Names in the profile that no architecture has (a typo, or a system call newer than
    /// Berth's tables). They were skipped, as runc does; the runtime should warn about them.
    /// </summary>
    public IReadOnlyList<string> UnknownSyscalls { get; init; } = [];
}
