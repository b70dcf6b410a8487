using System.Text.Json;

namespace Berth.Runtime.IntegrationTests.Harness;

/// <summary>
/// The fields of <c>state</c> (and of each <c>list --format json</c> entry) the tests read, parsed
/// with JsonDocument rather than Berth's own types: the suite judges the runtime, not itself.
/// </summary>
public sealed record ContainerState(string Id, string Status, int Pid, string? Bundle, JsonElement Raw)
{
    public static ContainerState Parse(string json)
    {
        using var doc = JsonDocument.Parse(json);
        return From(doc.RootElement.Clone());
    }

    public static ContainerState From(JsonElement e) => new(
        e.GetProperty("id").GetString()!,
        e.GetProperty("status").GetString()!,
        e.TryGetProperty("pid", out var pid) && pid.ValueKind == JsonValueKind.Number ? pid.GetInt32() : 0,
        e.TryGetProperty("bundle", out var b) ? b.GetString() : null,
        e);
}
