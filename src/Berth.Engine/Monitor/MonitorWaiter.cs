using Berth.Errdefs;

namespace Berth.Engine.Monitor;

/// <summary>
/// Waits for a container to exit (`berth wait`): returns the exit code of its next exit, or at
/// once the recorded code when it has already exited. A monitor that dies first is an error
/// (<see cref="ErrorKind.Unavailable"/>, "monitor exited unexpectedly"), never a made-up code.
/// Costs no CPU while waiting: it blocks on the monitor's attach socket as a wait-only client.
/// </summary>
public static class MonitorWaiter
{
    public static async Task<int> WaitAsync(string dir, CancellationToken cancellationToken)
    {
        var probe = MonitorProbe.Check(dir);
        if (Final(dir, probe) is { } code)
            return code;
        AttachConnection connection;
        try
        {
            connection = AttachConnection.Connect(dir);
        }
        catch (BerthException)
        {
            // The monitor may have finished between the probe and the connect.
            return Final(dir, MonitorProbe.Check(dir)) ?? throw Dead(dir);
        }
        using (connection)
        {
            connection.Send(AttachMessageType.WaitOnly, []);
            var exit = await AttachClient.RunAsync(connection, new AttachOptions(), cancellationToken).ContinueWith(t => t, TaskScheduler.Default).ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
            if (exit.IsCompletedSuccessfully && exit.Result is { } result)
                return result;
        }
        return Final(dir, MonitorProbe.Check(dir)) ?? throw Dead(dir);
    }

    private static int? Final(string dir, MonitorProbeResult probe) => probe.Health switch
    {
        MonitorHealth.Exited => probe.State!.ExitCode,
        MonitorHealth.Dead => throw Dead(dir),
        _ => null,
    };

    private static BerthException Dead(string dir) => new(ErrorKind.Unavailable, $"wait for `{dir}`: {MonitorProbe.DeadError}");
}
