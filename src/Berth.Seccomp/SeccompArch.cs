namespace Berth.Seccomp;

/// <summary>
/// The architectures Berth has a system call table for, named after libseccomp's
/// <c>SCMP_ARCH_*</c>. X32 shares <see cref="X86_64"/>'s audit token; its system call numbers
/// carry the <c>__X32_SYSCALL_BIT</c> (0x40000000).
/// </summary>
public enum SeccompArch
{
    X86_64,
    X86,
    X32,
    Aarch64,
    Arm,
}
