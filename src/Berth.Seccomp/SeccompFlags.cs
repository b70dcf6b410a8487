using Berth.Errdefs;

namespace Berth.Seccomp;

/// <summary>The flags of seccomp(SECCOMP_SET_MODE_FILTER, flags, …) (SECCOMP_FILTER_FLAG_* in linux/seccomp.h).</summary>
public static class SeccompFlags
{
    public const uint Tsync = 1;
    public const uint Log = 2;
    public const uint SpecAllow = 4;
    public const uint NewListener = 8;
    public const uint TsyncEsrch = 16;
    public const uint WaitKillableRecv = 32;

    /// <summary>Parses one profile flag name; an unknown name is an InvalidArgument naming it.</summary>
    public static uint Parse(string flag) => flag switch
    {
        "SECCOMP_FILTER_FLAG_TSYNC" => Tsync,
        "SECCOMP_FILTER_FLAG_LOG" => Log,
        "SECCOMP_FILTER_FLAG_SPEC_ALLOW" => SpecAllow,
        "SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV" => WaitKillableRecv,
        _ => throw BerthException.InvalidArgument($"parse seccomp flag `{flag}`: unknown flag"),
    };
}
