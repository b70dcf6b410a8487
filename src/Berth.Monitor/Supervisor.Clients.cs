using System.Buffers.Binary;
using System.Runtime.InteropServices;
using Berth.Engine.Logs;
using Berth.Engine.Monitor;
using Berth.Linux;
using Berth.Linux.Interop;

namespace Berth.Monitor;

internal sealed unsafe partial class Supervisor
{
    private const int FixedSlots = 5; // signalfd, listener, stdout/pty, stderr, stdin
    private readonly List<Client> clients = [];
    private readonly byte[] buffer = new byte[AttachConnection.MaxPayload + 1];
    private byte[] stdinPending = [];
    private int stdinPendingLength;
    private PollFd[] pollSet = new PollFd[FixedSlots + 4];
    private int listenFd = -1;

    private sealed class Client(int fd)
    {
        public int Fd = fd;
        public bool WaitOnly;
    }

    private int BuildPollSet()
    {
        if (pollSet.Length < FixedSlots + clients.Count)
            pollSet = new PollFd[FixedSlots + clients.Count * 2];
        var stdinTarget = config.Tty ? ptyFd : stdinFd;
        pollSet[0] = new PollFd { Fd = signalFd, Events = Libc.POLLIN };
        pollSet[1] = new PollFd { Fd = listenFd, Events = Libc.POLLIN };
        pollSet[2] = new PollFd { Fd = config.Tty ? (ptyEof ? -1 : ptyFd) : stdoutFd, Events = Libc.POLLIN };
        pollSet[3] = new PollFd { Fd = stderrFd, Events = Libc.POLLIN };
        pollSet[4] = new PollFd { Fd = stdinPendingLength > 0 ? stdinTarget : -1, Events = Libc.POLLOUT };
        for (var i = 0; i < clients.Count; i++)
            pollSet[FixedSlots + i] = new PollFd { Fd = clients[i].Fd, Events = stdinPendingLength > 0 ? (short)0 : Libc.POLLIN };
        return FixedSlots + clients.Count;
    }

    private void HandleReady(int count)
    {
        if (pollSet[1].Revents != 0)
            Accept();
        if (pollSet[2].Revents != 0)
            ReadOutput(ref config.Tty ? ref ptyFd : ref stdoutFd, LogStream.Stdout);
        if (pollSet[3].Revents != 0)
            ReadOutput(ref stderrFd, LogStream.Stderr);
        if (pollSet[4].Revents != 0)
            FlushStdin();
        for (var i = count - 1; i >= FixedSlots; i--)
        {
            if (pollSet[i].Revents != 0 && i - FixedSlots < clients.Count)
                ReadClient(clients[i - FixedSlots]);
        }
    }

    /// <summary>Reads what the container wrote; logs it and sends it to every client. Returns false at EOF.</summary>
    private bool ReadOutput(ref int fd, LogStream stream)
    {
        if (fd < 0)
            return false;
        nint n;
        fixed (byte* p = buffer)
            n = Libc.read(fd, p + 1, (nuint)(buffer.Length - 1));
        if (n < 0 && Marshal.GetLastPInvokeError() is Errno.EAGAIN or Errno.EINTR)
            return true;
        if (n <= 0)
        {
            // EOF, or EIO from a pty master once the last slave closed (the master stays open
            // for resizes until the container is deleted).
            if (config.Tty)
            {
                ptyEof = true;
            }
            else
            {
                Libc.close(fd);
                fd = -1;
            }
            return false;
        }
        var data = buffer.AsSpan(1, (int)n);
        log?.Write(stream, data);
        buffer[0] = (byte)(stream == LogStream.Stdout ? AttachMessageType.Stdout : AttachMessageType.Stderr);
        Broadcast(buffer.AsSpan(0, (int)n + 1), outputOnly: true);
        return true;
    }

    private bool ptyEof;

    /// <summary>After the exit: read what is left in the pipes, waiting briefly for writers that are still closing.</summary>
    private void DrainOutput()
    {
        var deadline = Environment.TickCount64 + 2000;
        var fds = stackalloc PollFd[2];
        while (Environment.TickCount64 < deadline)
        {
            fds[0] = new PollFd { Fd = config.Tty ? (ptyEof ? -1 : ptyFd) : stdoutFd, Events = Libc.POLLIN };
            fds[1] = new PollFd { Fd = stderrFd, Events = Libc.POLLIN };
            if (fds[0].Fd < 0 && fds[1].Fd < 0)
                return;
            var ready = Libc.poll(fds, 2, 100);
            if (ready <= 0)
                return;
            if (fds[0].Revents != 0)
                ReadOutput(ref config.Tty ? ref ptyFd : ref stdoutFd, LogStream.Stdout);
            if (fds[1].Revents != 0)
                ReadOutput(ref stderrFd, LogStream.Stderr);
        }
    }

    private void Accept()
    {
        var fd = Libc.accept4(listenFd, null, null, Libc.SOCK_CLOEXEC);
        if (fd >= 0)
            AddClient(fd);
    }

    private void AddClient(int fd)
    {
        // A client that stops reading for this long is dropped rather than stalling the container.
        var timeout = stackalloc long[2];
        timeout[0] = 30;
        timeout[1] = 0;
        Libc.setsockopt(fd, Libc.SOL_SOCKET, Libc.SO_SNDTIMEO, timeout, 16);
        clients.Add(new Client(fd));
    }

    private void ReadClient(Client client)
    {
        nint n;
        fixed (byte* p = buffer)
            n = Libc.recv(client.Fd, p, (nuint)buffer.Length, Libc.MSG_DONTWAIT);
        if (n < 0 && Marshal.GetLastPInvokeError() is Errno.EAGAIN or Errno.EINTR)
            return;
        if (n <= 0)
        {
            Drop(client);
            return;
        }
        var payload = buffer.AsSpan(1, (int)n - 1);
        switch ((AttachMessageType)buffer[0])
        {
            case AttachMessageType.Stdin:
                QueueStdin(payload);
                break;
            case AttachMessageType.StdinEof when config.StdinOnce && !config.Tty && stdinFd >= 0:
                if (stdinPendingLength == 0)
                {
                    Libc.close(stdinFd);
                    stdinFd = -1;
                }
                else
                {
                    closeStdinWhenFlushed = true;
                }
                break;
            case AttachMessageType.Resize when ptyFd >= 0 && payload.Length >= 4:
                try
                {
                    Pty.Resize(ptyFd, BinaryPrimitives.ReadUInt16LittleEndian(payload), BinaryPrimitives.ReadUInt16LittleEndian(payload[2..]));
                }
                catch (Berth.Errdefs.BerthException)
                {
                }
                break;
            case AttachMessageType.WaitOnly:
                client.WaitOnly = true;
                break;
        }
    }

    private bool closeStdinWhenFlushed;

    private void QueueStdin(ReadOnlySpan<byte> data)
    {
        if ((config.Tty ? ptyFd : stdinFd) < 0 || data.IsEmpty)
            return;
        if (stdinPending.Length < stdinPendingLength + data.Length)
            Array.Resize(ref stdinPending, Math.Max(stdinPendingLength + data.Length, 4096));
        data.CopyTo(stdinPending.AsSpan(stdinPendingLength));
        stdinPendingLength += data.Length;
        FlushStdin();
    }

    private void FlushStdin()
    {
        var fd = config.Tty ? ptyFd : stdinFd;
        if (fd < 0)
        {
            stdinPendingLength = 0;
            return;
        }
        nint n;
        fixed (byte* p = stdinPending)
            n = Libc.write(fd, p, (nuint)stdinPendingLength);
        if (n < 0)
        {
            if (Marshal.GetLastPInvokeError() is Errno.EAGAIN or Errno.EINTR)
                return;
            // EPIPE: the container closed its stdin; what is left has no reader.
            stdinPendingLength = 0;
            return;
        }
        stdinPending.AsSpan((int)n, stdinPendingLength - (int)n).CopyTo(stdinPending);
        stdinPendingLength -= (int)n;
        if (stdinPendingLength == 0 && closeStdinWhenFlushed && !config.Tty && stdinFd >= 0)
        {
            Libc.close(stdinFd);
            stdinFd = -1;
            closeStdinWhenFlushed = false;
        }
    }

    private void Broadcast(ReadOnlySpan<byte> packet, bool outputOnly)
    {
        for (var i = clients.Count - 1; i >= 0; i--)
        {
            var client = clients[i];
            if (outputOnly && client.WaitOnly)
                continue;
            fixed (byte* p = packet)
            {
                if (Libc.send(client.Fd, p, (nuint)packet.Length, Libc.MSG_NOSIGNAL) < 0)
                    Drop(client);
            }
        }
    }

    /// <summary>Sends every client the exit code and closes it.</summary>
    private void NotifyExit(int exitCode)
    {
        Span<byte> packet = stackalloc byte[5];
        packet[0] = (byte)AttachMessageType.Exit;
        BinaryPrimitives.WriteInt32LittleEndian(packet[1..], exitCode);
        Broadcast(packet, outputOnly: false);
        for (var i = clients.Count - 1; i >= 0; i--)
            Drop(clients[i]);
    }

    private void Drop(Client client)
    {
        // Closing a unix socket with unread data makes the kernel report ECONNRESET to the peer
        // before the messages still queued for it, so a client would lose the exit code we just
        // sent if its last resize or stdin had not been read yet. Read whatever is pending first.
        fixed (byte* p = buffer)
        {
            while (Libc.recv(client.Fd, p, (nuint)buffer.Length, Libc.MSG_DONTWAIT) > 0)
            {
            }
        }
        Libc.close(client.Fd);
        clients.Remove(client);
    }

    private void CloseListener()
    {
        if (listenFd < 0)
            return;
        Libc.close(listenFd);
        listenFd = -1;
        try
        {
            File.Delete(MonitorPaths.AttachSocket(dir));
        }
        catch (IOException)
        {
        }
    }
}
