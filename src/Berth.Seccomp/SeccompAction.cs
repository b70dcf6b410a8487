using Berth.Errdefs;

namespace Berth.Seccomp;

/// <summary>Turns an OCI/libseccomp action name and its errnoRet into a filter return value.</summary>
internal static class SeccompAction
{
    /// <summary>EPERM: what runc returns for SCMP_ACT_ERRNO and SCMP_ACT_TRACE without errnoRet.</summary>
    private const uint DefaultData = 1;

    public static uint Parse(string action, uint? errnoRet) => action switch
    {
        "SCMP_ACT_KILL" or "SCMP_ACT_KILL_THREAD" => SeccompRet.KillThread,
        "SCMP_ACT_KILL_PROCESS" => SeccompRet.KillProcess,
        "SCMP_ACT_TRAP" => SeccompRet.Trap,
        "SCMP_ACT_ERRNO" => SeccompRet.Errno | Data(action, errnoRet),
        "SCMP_ACT_TRACE" => SeccompRet.Trace | Data(action, errnoRet),
        "SCMP_ACT_ALLOW" => SeccompRet.Allow,
        "SCMP_ACT_LOG" => SeccompRet.Log,
        "SCMP_ACT_NOTIFY" => SeccompRet.UserNotif,
        _ => throw BerthException.InvalidArgument($"parse seccomp action `{action}`: unknown action"),
    };

    /// <summary>
    /// Actions runc treats as "allowing", for which it adds no -ENOSYS handling of system calls
    /// newer than the profile: a tracer or a logger should see those calls.
    /// </summary>
    public static bool IsPermissive(uint ret) =>
        ret == SeccompRet.Allow || ret == SeccompRet.Log || (ret & ~SeccompRet.Data) == SeccompRet.Trace;

    private static uint Data(string action, uint? errnoRet) => errnoRet switch
    {
        null => DefaultData,
        <= SeccompRet.Data => errnoRet.Value,
        _ => throw BerthException.InvalidArgument(
            $"parse seccomp action `{action}`: errnoRet {errnoRet} does not fit in 16 bits"),
    };
}
