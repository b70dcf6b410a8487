using System.Text.Json;
using Berth.Errdefs;

namespace Berth.Engine.Containers;

public sealed partial class ContainerService
{
    /// <summary>The host pids of a running container's processes (the runtime's <c>ps --format json</c>).</summary>
    public IReadOnlyList<int> Pids(string idOrName)
    {
        var view = RequireRunning(idOrName);
        var json = Runtime.Run(["ps", "--format", "json", view.Id], $"list processes of container `{view.Id}`");
        using var doc = JsonDocument.Parse(json.Trim().Length == 0 ? "[]" : json);
        return doc.RootElement.EnumerateArray().Select(e => e.GetInt32()).ToList();
    }

    /// <summary>
    /// One sample of a running container's cgroup statistics (the runtime's <c>events --stats</c>),
    /// parsed into docker's quantities and stamped with the time it was read.
    /// </summary>
    public ContainerStats ReadStats(ContainerView view)
    {
        ArgumentNullException.ThrowIfNull(view);
        var output = Runtime.Run(["events", "--stats", view.Id], $"read stats of container `{view.Id}`");
        var line = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault()
            ?? throw BerthException.Internal($"read stats of container `{view.Id}`: the runtime printed nothing");
        using var doc = JsonDocument.Parse(line);
        var data = doc.RootElement.TryGetProperty("data", out var d) ? d : doc.RootElement;
        return ContainerStats.FromRuntime(data, DateTimeOffset.UtcNow);
    }

    /// <summary>Docker's Conflict for verbs that need a running container ("container ID is not running").</summary>
    public ContainerView RequireRunning(string idOrName)
    {
        var view = Get(idOrName);
        if (!view.State.Running || view.State.Dead)
            throw BerthException.Conflict($"container {view.Id} is not running");
        return view;
    }
}
