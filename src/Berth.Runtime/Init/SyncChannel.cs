using System.Text;
using System.Text.Json;
using Berth.Errdefs;
using Berth.Linux;
using Berth.Linux.Interop;
using Berth.Runtime.State;

namespace Berth.Runtime.Init;

/// <summary>Line-delimited JSON over one end of the parent/init socketpair.</summary>
public sealed class SyncChannel : IDisposable
{
    private const int MaxMessage = 16 << 20;
    private readonly List<byte> _pending = [];
    private int _fd;

    public SyncChannel(int fd)
    {
        _fd = fd;
    }

    public int Fd => _fd;

    /// <summary>Makes a connected pair; both ends close-on-exec (the spawn maps the child's end explicitly).</summary>
    public static unsafe (SyncChannel Parent, int ChildFd) CreatePair()
    {
        var fds = stackalloc int[2];
        if (Libc.socketpair(Libc.AF_UNIX, Libc.SOCK_STREAM | Libc.SOCK_CLOEXEC, 0, fds) != 0)
            throw Errno.Last("create sync socketpair");
        return (new SyncChannel(fds[0]), fds[1]);
    }

    public unsafe void Send(SyncMessage message)
    {
        var bytes = JsonSerializer.SerializeToUtf8Bytes(message, StateJsonContext.Default.SyncMessage);
        var line = new byte[bytes.Length + 1];
        bytes.CopyTo(line, 0);
        line[^1] = (byte)'\n';
        fixed (byte* p = line)
        {
            var done = 0;
            while (done < line.Length)
            {
                var n = Libc.write(_fd, p + done, (nuint)(line.Length - done));
                if (n < 0)
                {
                    if (System.Runtime.InteropServices.Marshal.GetLastPInvokeError() == Errno.EINTR)
                        continue;
                    throw Errno.Last("write to sync socket");
                }
                done += (int)n;
            }
        }
    }

    /// <summary>The next message, or null when the other end closed.</summary>
    public unsafe SyncMessage? Receive()
    {
        var buffer = stackalloc byte[4096];
        while (true)
        {
            var newline = _pending.IndexOf((byte)'\n');
            if (newline >= 0)
            {
                var line = _pending.GetRange(0, newline).ToArray();
                _pending.RemoveRange(0, newline + 1);
                try
                {
                    return JsonSerializer.Deserialize(line, StateJsonContext.Default.SyncMessage);
                }
                catch (JsonException e)
                {
                    throw BerthException.Internal($"bad sync message `{Encoding.UTF8.GetString(line)}`", e);
                }
            }
            var n = Libc.read(_fd, buffer, 4096);
            if (n < 0)
            {
                if (System.Runtime.InteropServices.Marshal.GetLastPInvokeError() == Errno.EINTR)
                    continue;
                throw Errno.Last("read from sync socket");
            }
            if (n == 0)
                return null;
            if (_pending.Count + n > MaxMessage)
                throw BerthException.Internal("sync message too large");
            _pending.AddRange(new ReadOnlySpan<byte>(buffer, (int)n).ToArray());
        }
    }

    public void Dispose()
    {
        var fd = Interlocked.Exchange(ref _fd, -1);
        if (fd >= 0)
            Libc.close(fd);
    }
}
