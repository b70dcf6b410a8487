using Berth.Errdefs;

namespace Berth.Cgroups.Hierarchy;

/// <summary>
/// Parses /proc/self/cgroup: "hierarchy-id:controllers:path" per line, e.g.
/// "4:memory:/user.slice" for v1 and "0::/user.slice/session-1.scope" for the unified
/// hierarchy. Returns controller → path, with "" for the unified hierarchy and
/// "name=systemd" for named hierarchies.
/// </summary>
internal static class ProcCgroup
{
    public static IReadOnlyDictionary<string, string> Parse(string text)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var first = line.IndexOf(':', StringComparison.Ordinal);
            var second = first < 0 ? -1 : line.IndexOf(':', first + 1);
            if (second < 0)
            {
                throw BerthException.InvalidArgument($"parse /proc/self/cgroup: malformed line `{line}`");
            }
            var controllers = line[(first + 1)..second];
            var path = line[(second + 1)..];
            if (controllers.Length == 0)
            {
                result[""] = path;
                continue;
            }
            foreach (var controller in controllers.Split(','))
            {
                result[controller] = path;
            }
        }
        return result;
    }
}
