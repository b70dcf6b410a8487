namespace Berth.Engine.Monitor;

/// <summary>
/// An attachment made before the container starts (docker run without -d, start -a): a socket
/// pair whose one end the launcher hands to the monitor as its first client, so that no output
/// is lost. Pump <see cref="Connection"/> with <see cref="AttachClient"/>; the container's output
/// waits in the socket (and then in the container) until it is read.
/// </summary>
public sealed class AttachStreams : IDisposable
{
    private int monitorEnd;

    private AttachStreams(AttachConnection connection, int monitorEnd)
    {
        Connection = connection;
        this.monitorEnd = monitorEnd;
    }

    /// <summary>The caller's end.</summary>
    public AttachConnection Connection { get; }

    public static AttachStreams Create()
    {
        var connection = AttachConnection.CreatePair(out var monitorEnd);
        return new AttachStreams(connection, monitorEnd);
    }

    /// <summary>The monitor's end; the launcher closes it once the monitor holds it.</summary>
    internal int MonitorEnd => monitorEnd;

    internal void ReleaseMonitorEnd()
    {
        var fd = Interlocked.Exchange(ref monitorEnd, -1);
        if (fd >= 0)
            Berth.Linux.Interop.Libc.close(fd);
    }

    public void Dispose()
    {
        ReleaseMonitorEnd();
        Connection.Dispose();
    }
}
