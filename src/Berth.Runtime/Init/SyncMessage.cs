using Berth.Oci.Runtime;

namespace Berth.Runtime.Init;

/// <summary>
/// One message between berth-runtime and the container's init over their socketpair, a JSON
/// document per line. The parent sends one <see cref="SyncType.Request"/> at once, moves the
/// init into the container's cgroup (which can wait for an RCU grace period, so the init gets on
/// with its namespaces and mounts meanwhile) and sends <see cref="SyncType.Joined"/>; the init answers
/// <see cref="SyncType.Hooks"/> (namespaces and mounts are ready: run prestart and
/// createRuntime hooks, then send <see cref="SyncType.Continue"/>), then <see cref="SyncType.Ready"/>,
/// or <see cref="SyncType.Error"/> at any point.
/// </summary>
public sealed record SyncMessage
{
    public string Type { get; init; } = "";
    public string? Message { get; init; }
    public InitRequest? Request { get; init; }
}

public static class SyncType
{
    public const string Request = "request";
    public const string Hooks = "hooks";
    public const string Continue = "continue";
    public const string Joined = "joined";
    public const string Ready = "ready";
    public const string Error = "error";
}

/// <summary>What the init needs to know, sent by the parent once the init sits in its cgroup.</summary>
public sealed record InitRequest
{
    /// <summary>"create" for a new container, "exec" for a process joining one.</summary>
    public string Mode { get; init; } = InitMode.Create;

    public string Id { get; init; } = "";
    public string Bundle { get; init; } = "";
    public string Rootfs { get; init; } = "";
    public Spec Spec { get; init; } = new();

    /// <summary>For exec: the process to run (the container's own for create).</summary>
    public Process? Process { get; init; }

    /// <summary>For exec: the namespaces of the container's init to join, by /proc path.</summary>
    public IReadOnlyList<LinuxNamespace>? Join { get; init; }

    public bool NoPivot { get; init; }
    public int PreserveFds { get; init; }

    /// <summary>Descriptor numbers in the init: the console socket (-1 for none), the state directory (-1 for none).</summary>
    public int ConsoleSocketFd { get; init; } = -1;

    public int StateDirFd { get; init; } = -1;
}

public static class InitMode
{
    public const string Create = "create";
    public const string Exec = "exec";
}
