namespace Berth.Engine.Monitor;

/// <summary>What <see cref="AttachClient.RunAsync"/> pumps: the caller's streams and terminal behaviour.</summary>
public sealed record AttachOptions
{
    /// <summary>Sent to the container's stdin; null to send nothing.</summary>
    public Stream? Stdin { get; init; }

    /// <summary>Receives stdout (all output in tty mode); null to discard.</summary>
    public Stream? Stdout { get; init; }

    /// <summary>Receives stderr; null to discard.</summary>
    public Stream? Stderr { get; init; }

    /// <summary>The container has a tty: detach keys apply.</summary>
    public bool Tty { get; init; }

    /// <summary>The key sequence that detaches in tty mode (docker's ctrl-p, ctrl-q); empty disables it.</summary>
    public byte[] DetachKeys { get; init; } = [0x10, 0x11];
}
