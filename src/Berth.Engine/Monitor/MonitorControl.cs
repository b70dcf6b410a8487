namespace Berth.Engine.Monitor;

/// <summary>
/// What the engine tells a running monitor through the container directory. To stop a
/// container: <see cref="RequestStop"/> first, then signal the container (runtime kill); the
/// monitor sees the file when the container exits and does not restart it.
/// </summary>
public static class MonitorControl
{
    /// <summary>Marks the container as stopped by the engine, so its restart policy does not apply.</summary>
    public static void RequestStop(string dir)
    {
        using var file = File.Open(MonitorPaths.StopRequested(dir), FileMode.OpenOrCreate, FileAccess.Write);
        file.Flush(flushToDisk: true);
    }

    /// <summary>Removes the mark (before the engine starts the container again).</summary>
    public static void ClearStopRequest(string dir) => File.Delete(MonitorPaths.StopRequested(dir));

    public static bool IsStopRequested(string dir) => File.Exists(MonitorPaths.StopRequested(dir));
}
