namespace Berth.Seccomp;

/// <summary>How <see cref="SeccompCompiler"/> compiles a profile.</summary>
public sealed record SeccompCompileOptions
{
    /// <summary>The architecture the filter is always built for; null: the running process's.</summary>
    public SeccompArch? NativeArch { get; init; }

    /// <summary>
    /// Rejects a system call name no architecture knows instead of skipping it, which is what
    /// runc always does and crun does unless annotated <c>run.oci.seccomp_fail_unknown_syscall</c>.
    /// </summary>
    public bool FailOnUnknownSyscall { get; init; }
}
