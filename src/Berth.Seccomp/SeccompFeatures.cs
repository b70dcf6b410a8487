namespace Berth.Seccomp;

/// <summary>
/// The names the compiler accepts, for a runtime's `features` report. Kept beside the parsers
/// they describe; a unit test compiles a profile with each one so the lists cannot drift.
/// </summary>
public static class SeccompFeatures
{
    public static IReadOnlyList<string> Actions { get; } =
    [
        "SCMP_ACT_ALLOW", "SCMP_ACT_ERRNO", "SCMP_ACT_KILL", "SCMP_ACT_KILL_PROCESS", "SCMP_ACT_KILL_THREAD",
        "SCMP_ACT_LOG", "SCMP_ACT_NOTIFY", "SCMP_ACT_TRACE", "SCMP_ACT_TRAP",
    ];

    public static IReadOnlyList<string> Operators { get; } =
    [
        "SCMP_CMP_EQ", "SCMP_CMP_GE", "SCMP_CMP_GT", "SCMP_CMP_LE", "SCMP_CMP_LT", "SCMP_CMP_MASKED_EQ", "SCMP_CMP_NE",
    ];

    public static IReadOnlyList<string> Architectures { get; } =
        Enum.GetValues<SeccompArch>().Select(SeccompArchNames.Name).Order(StringComparer.Ordinal).ToArray();

    public static IReadOnlyList<string> Flags { get; } =
    [
        "SECCOMP_FILTER_FLAG_LOG", "SECCOMP_FILTER_FLAG_SPEC_ALLOW", "SECCOMP_FILTER_FLAG_TSYNC",
        "SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV",
    ];
}
