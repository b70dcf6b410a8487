using Berth.Errdefs;

namespace Berth.Seccomp;

/// <summary>The runtime spec's architecture names and the audit tokens the kernel reports for them.</summary>
internal static class SeccompArchNames
{
    public const uint AuditX86_64 = 0xC000003E;   // AUDIT_ARCH_X86_64, also x32
    public const uint AuditI386 = 0x40000003;     // AUDIT_ARCH_I386
    public const uint AuditAarch64 = 0xC00000B7;  // AUDIT_ARCH_AARCH64
    public const uint AuditArm = 0x40000028;      // AUDIT_ARCH_ARM

    /// <summary>__X32_SYSCALL_BIT: set in the number of every x32 system call.</summary>
    public const uint X32SyscallBit = 0x40000000;

    public static SeccompArch Parse(string name) => name switch
    {
        "SCMP_ARCH_X86_64" => SeccompArch.X86_64,
        "SCMP_ARCH_X86" => SeccompArch.X86,
        "SCMP_ARCH_X32" => SeccompArch.X32,
        "SCMP_ARCH_AARCH64" => SeccompArch.Aarch64,
        "SCMP_ARCH_ARM" => SeccompArch.Arm,
        "SCMP_ARCH_MIPS" or "SCMP_ARCH_MIPS64" or "SCMP_ARCH_MIPS64N32" or "SCMP_ARCH_MIPSEL"
            or "SCMP_ARCH_MIPSEL64" or "SCMP_ARCH_MIPSEL64N32" or "SCMP_ARCH_PPC" or "SCMP_ARCH_PPC64"
            or "SCMP_ARCH_PPC64LE" or "SCMP_ARCH_S390" or "SCMP_ARCH_S390X" or "SCMP_ARCH_PARISC"
            or "SCMP_ARCH_PARISC64" or "SCMP_ARCH_RISCV64" or "SCMP_ARCH_LOONGARCH64"
            or "SCMP_ARCH_M68K" or "SCMP_ARCH_SH" or "SCMP_ARCH_SHEB" => throw new BerthException(
                ErrorKind.NotImplemented, $"parse seccomp architecture `{name}`: not supported by berth"),
        _ => throw BerthException.InvalidArgument($"parse seccomp architecture `{name}`: unknown architecture"),
    };

    public static string Name(SeccompArch arch) => "SCMP_ARCH_" + arch.ToString().ToUpperInvariant();

    public static uint AuditArch(SeccompArch arch) => arch switch
    {
        SeccompArch.X86_64 or SeccompArch.X32 => AuditX86_64,
        SeccompArch.X86 => AuditI386,
        SeccompArch.Aarch64 => AuditAarch64,
        SeccompArch.Arm => AuditArm,
        _ => throw new ArgumentOutOfRangeException(nameof(arch)),
    };
}
