namespace Berth.Seccomp;

/// <summary>
/// The rules for one architecture, by system call number, each list in profile order. When
/// <see cref="EnosysAbove"/> is set, numbers above it (calls newer than the profile) get ENOSYS.
/// </summary>
internal sealed record ArchFilter(SeccompArch Arch, SortedDictionary<uint, List<SyscallRule>> Syscalls, uint? EnosysAbove);
