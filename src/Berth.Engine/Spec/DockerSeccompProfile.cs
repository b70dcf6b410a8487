namespace Berth.Engine.Spec;

/// <summary>
/// A seccomp profile in docker's JSON format (<c>docker run --security-opt seccomp=FILE</c>,
/// moby's <c>profiles/seccomp</c>): like the runtime spec's, plus <c>archMap</c> and per-rule
/// <c>includes</c>/<c>excludes</c> conditions on capabilities, architectures and kernel version.
/// <see cref="SeccompProfiles"/> resolves it into the runtime spec's form.
/// </summary>
public sealed record DockerSeccompProfile
{
    public string DefaultAction { get; init; } = "";
    public uint? DefaultErrnoRet { get; init; }
    public IReadOnlyList<string>? Architectures { get; init; }
    public IReadOnlyList<DockerSeccompArchMap>? ArchMap { get; init; }
    public IReadOnlyList<DockerSeccompSyscall>? Syscalls { get; init; }
    public IReadOnlyList<string>? Flags { get; init; }
    public string? ListenerPath { get; init; }
    public string? ListenerMetadata { get; init; }
}
