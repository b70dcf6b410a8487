namespace Berth.Seccomp.Tests.Support;

/// <summary>SECCOMP_RET_* and AUDIT_ARCH_* from the kernel headers, restated for the tests.</summary>
public static class Ret
{
    public const uint KillProcess = 0x80000000;
    public const uint KillThread = 0;
    public const uint Trap = 0x00030000;
    public const uint Allow = 0x7fff0000;
    public const uint Log = 0x7ffc0000;
    public const uint Notify = 0x7fc00000;

    public const uint AuditX86_64 = 0xC000003E;
    public const uint AuditI386 = 0x40000003;
    public const uint AuditAarch64 = 0xC00000B7;
    public const uint AuditArm = 0x40000028;

    public static uint Errno(uint errno) => 0x00050000 | errno;

    public static uint Trace(uint data) => 0x7ff00000 | data;
}
