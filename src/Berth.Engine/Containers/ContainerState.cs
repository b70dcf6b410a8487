using Berth.Engine.Monitor;
using Berth.Engine.Model;

namespace Berth.Engine.Containers;

/// <summary>
/// A container's run state in docker's terms (inspect's <c>State</c>), derived on every read
/// from the monitor's state file and whether the monitor still lives — never stored apart from
/// them, so it cannot go stale. A monitor that died without recording an exit is reported as
/// "dead" with the reason in <see cref="Error"/>, not hidden.
/// </summary>
public sealed record ContainerState
{
    public string Status { get; init; } = "created";
    public bool Running { get; init; }
    public bool Paused { get; init; }
    public bool Restarting { get; init; }
    public bool OOMKilled { get; init; }
    public bool Dead { get; init; }
    public int Pid { get; init; }
    public int ExitCode { get; init; }
    public string Error { get; init; } = "";
    public DateTimeOffset? StartedAt { get; init; }
    public DateTimeOffset? FinishedAt { get; init; }
    public int RestartCount { get; init; }

    public bool IsActive => Running || Restarting;

    public static ContainerState Of(string dir, ContainerRecord record)
    {
        var probe = MonitorProbe.Check(dir);
        var state = probe.State;
        var common = new ContainerState
        {
            Pid = 0,
            ExitCode = state?.ExitCode ?? 0,
            StartedAt = state?.StartedAt,
            FinishedAt = state?.FinishedAt,
            OOMKilled = state?.OOMKilled ?? false,
            RestartCount = state?.RestartCount ?? 0,
            Error = probe.Error ?? "",
        };
        return probe.Health switch
        {
            MonitorHealth.Running => common with
            {
                Status = record.Paused ? "paused" : "running",
                Running = true,
                Paused = record.Paused,
                Pid = state!.Pid,
                ExitCode = 0,
                Error = "",
            },
            MonitorHealth.Restarting => common with { Status = "restarting", Running = true, Restarting = true },
            MonitorHealth.Exited => common with { Status = "exited" },
            MonitorHealth.Dead => common with { Status = "dead", Dead = true, ExitCode = state?.ExitCode is > 0 ? state.ExitCode : 255 },
            _ => common with { Status = "created", Error = "" },
        };
    }
}
