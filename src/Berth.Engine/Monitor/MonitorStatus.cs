using System.Text.Json.Serialization;

namespace Berth.Engine.Monitor;

/// <summary>The container's status as its monitor records it in <c>monitor-state.json</c>.</summary>
public enum MonitorStatus
{
    /// <summary>The monitor is creating and starting the container.</summary>
    [JsonStringEnumMemberName("created")] Created,

    [JsonStringEnumMemberName("running")] Running,

    /// <summary>The container exited and the restart policy will start it again after a back-off.</summary>
    [JsonStringEnumMemberName("restarting")] Restarting,

    /// <summary>Final: the container exited (or never started) and the monitor is done.</summary>
    [JsonStringEnumMemberName("exited")] Exited,
}
