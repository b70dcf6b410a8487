using Berth.Oci.Runtime;

namespace Berth.Seccomp;

/// <summary>One profile rule as it applies to one system call: all its argument tests hold → <see cref="Ret"/>.</summary>
internal sealed record SyscallRule(uint Ret, IReadOnlyList<LinuxSeccompArg> Args);
