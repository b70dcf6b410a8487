namespace Berth.Engine.Containers;

/// <summary>docker's exec create body: what to run in a running container and how.</summary>
public sealed record ExecRequest
{
    public IReadOnlyList<string> Cmd { get; init; } = [];

    /// <summary>KEY=VALUE entries laid over the container's own environment (same key: this one wins).</summary>
    public IReadOnlyList<string> Env { get; init; } = [];

    /// <summary>docker's --user forms (name, uid, name:group, uid:gid); empty keeps the container's user.</summary>
    public string User { get; init; } = "";

    /// <summary>Working directory; empty keeps the container's.</summary>
    public string WorkingDir { get; init; } = "";

    public bool Tty { get; init; }

    /// <summary>Keep stdin open (-i); else the process reads EOF.</summary>
    public bool AttachStdin { get; init; }

    public bool Detach { get; init; }

    public bool Privileged { get; init; }
}
