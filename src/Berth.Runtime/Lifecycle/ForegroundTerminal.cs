using System.Net.Sockets;
using System.Runtime.InteropServices;
using Berth.Linux;
using Berth.Linux.Interop;

namespace Berth.Runtime.Lifecycle;

/// <summary>
/// For `run`/`exec` with a terminal and no console socket: listens on a private socket for the
/// pty master, then copies our stdin to it and its output to our stdout.
/// </summary>
internal sealed class ForegroundTerminal : IDisposable
{
    private readonly Socket _listener;
    private readonly string _dir;
    private int _master = -1;
    private Thread? _output;
    private byte[]? _savedTermios;
    private PosixSignalRegistration? _resize;

    private ForegroundTerminal(Socket listener, string dir, string path)
    {
        _listener = listener;
        _dir = dir;
        SocketPath = path;
    }

    public string SocketPath { get; }

    public static ForegroundTerminal Listen()
    {
        var dir = Directory.CreateTempSubdirectory("berth-tty-").FullName;
        var path = Path.Combine(dir, "console.sock");
        var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        listener.Bind(new UnixDomainSocketEndPoint(path));
        listener.Listen(1);
        return new ForegroundTerminal(listener, dir, path);
    }

    /// <summary>Receives the master (sent during create) and starts copying.</summary>
    public void Attach()
    {
        using var connection = _listener.Accept();
        (_master, _) = FdPassing.Receive((int)connection.Handle);
        var master = _master;
        // Our terminal, if we have one, becomes a plain byte pipe to the container's: the
        // container's line discipline does the echo and editing.
        if (Pty.CopySize(0, master))
        {
            _savedTermios = Pty.MakeRaw(0);
            _resize = PosixSignalRegistration.Create(PosixSignal.SIGWINCH, _ => Pty.CopySize(0, master));
        }
        _output = new Thread(() => Copy(master, 1)) { IsBackground = true };
        _output.Start();
        new Thread(() => Copy(0, master)) { IsBackground = true }.Start();
    }

    /// <summary>Waits briefly for the last output once the process has ended.</summary>
    public void Drain() => _output?.Join(TimeSpan.FromSeconds(1));

    private static unsafe void Copy(int from, int to)
    {
        var buffer = stackalloc byte[8192];
        while (true)
        {
            var n = Libc.read(from, buffer, 8192);
            if (n <= 0)
                return;
            var done = 0L;
            while (done < n)
            {
                var w = Libc.write(to, buffer + done, (nuint)(n - done));
                if (w <= 0)
                    return;
                done += w;
            }
        }
    }

    public void Dispose()
    {
        _resize?.Dispose();
        if (_savedTermios is not null)
            Pty.Restore(0, _savedTermios);
        _listener.Dispose();
        if (_master >= 0)
            Libc.close(_master);
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
