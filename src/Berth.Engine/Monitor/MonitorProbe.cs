namespace Berth.Engine.Monitor;

/// <summary>
/// Reads a container's monitor state and checks that the monitor behind it still lives. A
/// monitor that died while its state says created, running or restarting is reported as
/// <see cref="MonitorHealth.Dead"/> with the error "monitor exited unexpectedly" — docker's
/// "dead" status — and never shown as running.
/// </summary>
public static class MonitorProbe
{
    public const string DeadError = "monitor exited unexpectedly";

    public static MonitorProbeResult Check(string dir)
    {
        if (!MonitorState.TryRead(dir, out var state))
            return new MonitorProbeResult(MonitorHealth.Unknown, null, "no monitor state");
        if (state.Status == MonitorStatus.Exited)
            return new MonitorProbeResult(MonitorHealth.Exited, state, state.Error);
        if (state.IsMonitorAlive())
            return new MonitorProbeResult(state.Status == MonitorStatus.Restarting ? MonitorHealth.Restarting : MonitorHealth.Running, state, state.Error);
        // The monitor may have written its final state between our read and its exit: read once more.
        if (MonitorState.TryRead(dir, out var again) && again.Status == MonitorStatus.Exited)
            return new MonitorProbeResult(MonitorHealth.Exited, again, again.Error);
        return new MonitorProbeResult(MonitorHealth.Dead, state, DeadError);
    }
}

/// <summary>What <see cref="MonitorProbe.Check"/> found.</summary>
/// <param name="Health">The status the engine should show.</param>
/// <param name="State">The recorded state, null when there is none.</param>
/// <param name="Error">The error to show with it, if any.</param>
public sealed record MonitorProbeResult(MonitorHealth Health, MonitorState? State, string? Error);

/// <summary>A container's status as the engine shows it, the monitor's liveness taken into account.</summary>
public enum MonitorHealth
{
    /// <summary>No state file: never launched, or the launch is under way.</summary>
    Unknown,
    Running,
    Restarting,
    Exited,

    /// <summary>The monitor died without recording a final exit (docker's "dead").</summary>
    Dead,
}
