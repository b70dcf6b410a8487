using System.Buffers.Binary;
using Berth.Errdefs;
using Berth.Linux;
using Berth.Linux.Interop;

namespace Berth.Engine.Monitor;

/// <summary>
/// A client's end of the attach protocol (<see cref="AttachMessageType"/>): a connected
/// SOCK_SEQPACKET socket to a container's monitor. <see cref="Receive"/> blocks; one thread may
/// receive while another sends. <see cref="Shutdown"/> wakes a blocked receiver.
/// </summary>
public sealed unsafe class AttachConnection : IDisposable
{
    /// <summary>The largest payload of one packet.</summary>
    public const int MaxPayload = 32 * 1024;

    private int fd;

    internal AttachConnection(int fd) => this.fd = fd;

    /// <summary>Connects to the monitor of the container in <paramref name="dir"/>.</summary>
    public static AttachConnection Connect(string dir)
    {
        try
        {
            return new AttachConnection(UnixSockets.Connect(MonitorPaths.AttachSocket(dir), Libc.SOCK_SEQPACKET));
        }
        catch (BerthException e) when (e.Errno is Errno.ENOENT or Libc.ECONNREFUSED)
        {
            throw new BerthException(ErrorKind.FailedPrecondition, $"attach to `{dir}`: the container's monitor is not running", e) { Errno = e.Errno };
        }
    }

    /// <summary>A connected pair: this end for the caller, the returned descriptor for the monitor.</summary>
    internal static AttachConnection CreatePair(out int monitorEnd)
    {
        var fds = stackalloc int[2];
        Errno.Check(Libc.socketpair(Libc.AF_UNIX, Libc.SOCK_SEQPACKET | Libc.SOCK_CLOEXEC, 0, fds), "create attach socket pair");
        monitorEnd = fds[1];
        return new AttachConnection(fds[0]);
    }

    public void Send(AttachMessageType type, ReadOnlySpan<byte> payload)
    {
        var packet = stackalloc byte[Math.Min(payload.Length, MaxPayload) + 1];
        while (true)
        {
            var chunk = payload.Length > MaxPayload ? payload[..MaxPayload] : payload;
            packet[0] = (byte)type;
            chunk.CopyTo(new Span<byte>(packet + 1, chunk.Length));
            while (Libc.send(Fd, packet, (nuint)(chunk.Length + 1), Libc.MSG_NOSIGNAL) < 0)
            {
                if (System.Runtime.InteropServices.Marshal.GetLastPInvokeError() != Errno.EINTR)
                    throw Errno.Last("send to the container's monitor");
            }
            payload = payload[chunk.Length..];
            if (payload.IsEmpty)
                return;
        }
    }

    public void SendResize(ushort rows, ushort columns)
    {
        Span<byte> size = stackalloc byte[4];
        BinaryPrimitives.WriteUInt16LittleEndian(size, rows);
        BinaryPrimitives.WriteUInt16LittleEndian(size[2..], columns);
        Send(AttachMessageType.Resize, size);
    }

    /// <summary>
    /// Receives one packet into <paramref name="buffer"/> (at least <see cref="MaxPayload"/> + 1
    /// bytes); returns false when the monitor closed the connection. The payload is
    /// <c>buffer[1..length]</c>.
    /// </summary>
    public bool Receive(Span<byte> buffer, out AttachMessageType type, out int length)
    {
        type = 0;
        length = 0;
        fixed (byte* p = buffer)
        {
            nint n;
            while ((n = Libc.recv(Fd, p, (nuint)buffer.Length, 0)) < 0)
            {
                if (System.Runtime.InteropServices.Marshal.GetLastPInvokeError() != Errno.EINTR)
                    return false;
            }
            if (n == 0)
                return false;
            type = (AttachMessageType)p[0];
            length = (int)n;
            return true;
        }
    }

    /// <summary>Decodes an <see cref="AttachMessageType.Exit"/> payload.</summary>
    public static int ReadExitCode(ReadOnlySpan<byte> payload) =>
        payload.Length >= 4 ? BinaryPrimitives.ReadInt32LittleEndian(payload) : -1;

    /// <summary>Ends both directions, waking a thread blocked in <see cref="Receive"/>.</summary>
    public void Shutdown()
    {
        var current = fd;
        if (current >= 0)
            Libc.shutdown(current, Libc.SHUT_RDWR);
    }

    private int Fd => fd >= 0 ? fd : throw new ObjectDisposedException(nameof(AttachConnection));

    public void Dispose()
    {
        var current = Interlocked.Exchange(ref fd, -1);
        if (current >= 0)
            Libc.close(current);
    }
}
