using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text;
using Berth.Linux.Interop;
using Xunit.Sdk;

namespace Berth.Runtime.IntegrationTests.Harness;

/// <summary>
/// The listening end of <c>--console-socket</c>: the runtime connects and sends the pty master
/// as SCM_RIGHTS ancillary data, as runc's and crun's protocol does.
/// </summary>
public sealed class ConsoleSocket : IDisposable
{
    private readonly Socket listener;
    private readonly Task<Socket> accept;

    public ConsoleSocket(string path)
    {
        Path = path;
        listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        listener.Bind(new UnixDomainSocketEndPoint(path));
        listener.Listen(1);
        accept = listener.AcceptAsync();
    }

    public string Path { get; }

    /// <summary>Accepts the runtime's connection and receives the pty master fd.</summary>
    public unsafe PtyMaster ReceiveMaster(double seconds = 10)
    {
        if (!accept.Wait(TimeSpan.FromSeconds(seconds)))
            throw new XunitException($"the runtime did not connect to {Path}");
        using var connection = accept.Result;
        var fd = (int)connection.SafeHandle.DangerousGetHandle();
        var data = new byte[4096];
        var control = new byte[64]; // CMSG_SPACE(sizeof(int)) is 24 on 64-bit Linux
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        fixed (byte* dataPtr = data)
        fixed (byte* controlPtr = control)
        {
            while (true)
            {
                var iov = new IoVec { Base = dataPtr, Len = (nuint)data.Length };
                var msg = new MsgHdr { Iov = &iov, IovLen = 1, Control = controlPtr, ControlLen = (nuint)control.Length };
                var n = Libc.recvmsg(fd, &msg, 0);
                if (n < 0)
                {
                    var errno = Marshal.GetLastPInvokeError();
                    // .NET leaves accepted sockets non-blocking: wait for the message to arrive.
                    if (errno is 11 or 4 && DateTime.UtcNow < deadline)
                    {
                        Thread.Sleep(10);
                        continue;
                    }
                    throw new XunitException($"recvmsg on the console socket: errno {errno}");
                }
                if (msg.ControlLen < (nuint)sizeof(CmsgHdr) + sizeof(int))
                    throw new XunitException($"the runtime sent {n} bytes without a file descriptor");
                var header = *(CmsgHdr*)controlPtr;
                if (header.Level != Libc.SOL_SOCKET || header.Type != Libc.SCM_RIGHTS)
                    throw new XunitException($"unexpected control message level {header.Level} type {header.Type}");
                var master = *(int*)(controlPtr + sizeof(CmsgHdr));
                return new PtyMaster(master, Encoding.UTF8.GetString(data, 0, (int)n).TrimEnd('\0'));
            }
        }
    }

    public void Dispose()
    {
        listener.Dispose();
        if (accept.IsCompletedSuccessfully)
            accept.Result.Dispose();
        File.Delete(Path);
    }
}

/// <summary>A pty master received from the runtime; reads are non-blocking and polled.</summary>
public sealed class PtyMaster : IDisposable
{
    private const int F_GETFL = 3;
    private const int F_SETFL = 4;
    private readonly StringBuilder seen = new();
    private int fd;

    public PtyMaster(int fd, string name)
    {
        this.fd = fd;
        Name = name;
        Libc.fcntl(fd, F_SETFL, Libc.fcntl(fd, F_GETFL, 0) | Libc.O_NONBLOCK);
    }

    /// <summary>The payload of the runtime's message (runc and crun send the terminal's name).</summary>
    public string Name { get; }

    /// <summary>Everything read from the master so far.</summary>
    public string Seen => seen.ToString();

    public unsafe void Write(string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        fixed (byte* p = bytes)
        {
            if (Libc.write(fd, p, (nuint)bytes.Length) != bytes.Length)
                throw new XunitException($"write to the pty master: errno {Marshal.GetLastPInvokeError()}");
        }
    }

    /// <summary>Reads until the output contains <paramref name="expected"/>; returns all output so far.</summary>
    public unsafe string ReadUntil(string expected, double seconds = 10)
    {
        var buffer = new byte[4096];
        var ok = Poll.Until(() =>
        {
            fixed (byte* p = buffer)
            {
                nint n;
                while ((n = Libc.read(fd, p, (nuint)buffer.Length)) > 0)
                    seen.Append(Encoding.UTF8.GetString(buffer, 0, (int)n));
            }
            return seen.ToString().Contains(expected, StringComparison.Ordinal);
        }, seconds);
        if (!ok)
            throw new XunitException($"the terminal did not show `{expected}`; it showed `{seen}`");
        return seen.ToString();
    }

    public void Dispose()
    {
        if (fd >= 0)
            Libc.close(fd);
        fd = -1;
    }
}
