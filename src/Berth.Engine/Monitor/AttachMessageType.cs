namespace Berth.Engine.Monitor;

/// <summary>
/// The attach protocol over the monitor's SOCK_SEQPACKET socket <c>DIR/attach</c>: each packet
/// is one type byte followed by its payload (at most <see cref="AttachConnection.MaxPayload"/>
/// bytes). A client gets every byte the container writes after it connected, and an
/// <see cref="Exit"/> packet when the container exits, after which the monitor closes it.
/// </summary>
public enum AttachMessageType : byte
{
    /// <summary>Client → monitor: bytes for the container's stdin (or the pty).</summary>
    Stdin = 1,

    /// <summary>Client → monitor: the client's stdin ended (closes the container's stdin when StdinOnce).</summary>
    StdinEof = 2,

    /// <summary>Client → monitor: the terminal's size, rows and columns as two little-endian u16.</summary>
    Resize = 3,

    /// <summary>Monitor → client: bytes the container wrote to stdout (all output, with a tty).</summary>
    Stdout = 4,

    /// <summary>Monitor → client: bytes the container wrote to stderr.</summary>
    Stderr = 5,

    /// <summary>Monitor → client: the container exited; payload its exit code as a little-endian int32.</summary>
    Exit = 6,

    /// <summary>Client → monitor: send me no output, only <see cref="Exit"/> (for waiters).</summary>
    WaitOnly = 7,
}
