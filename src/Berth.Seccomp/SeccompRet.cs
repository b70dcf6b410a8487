namespace Berth.Seccomp;

/// <summary>The values a seccomp filter returns (SECCOMP_RET_* in linux/seccomp.h).</summary>
public static class SeccompRet
{
    public const uint KillProcess = 0x80000000;
    public const uint KillThread = 0x00000000;
    public const uint Trap = 0x00030000;
    public const uint Errno = 0x00050000;
    public const uint UserNotif = 0x7fc00000;
    public const uint Trace = 0x7ff00000;
    public const uint Log = 0x7ffc0000;
    public const uint Allow = 0x7fff0000;

    /// <summary>SECCOMP_RET_DATA: the low 16 bits carry the errno or the trace message.</summary>
    public const uint Data = 0x0000ffff;

    /// <summary>
    /// What a filter returns for a system call from an architecture the profile does not list.
    /// libseccomp's default bad-architecture action, which runc and crun keep, is SCMP_ACT_KILL
    /// (that is KILL_THREAD); Berth does the same.
    /// </summary>
    public const uint BadArch = KillThread;
}
