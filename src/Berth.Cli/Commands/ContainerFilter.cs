using Berth.Engine.Containers;
using Berth.Errdefs;

namespace Berth.Cli.Commands;

/// <summary>docker ps --filter: id, name, label, status, exited, ancestor (AND across keys, OR within one).</summary>
internal sealed class ContainerFilter
{
    private readonly Dictionary<string, List<string>> _filters = new(StringComparer.Ordinal);

    public bool ImpliesAll => _filters.ContainsKey("status") || _filters.ContainsKey("exited");

    public static ContainerFilter Parse(IEnumerable<string> values)
    {
        var filter = new ContainerFilter();
        foreach (var value in values)
        {
            var eq = value.IndexOf('=');
            if (eq <= 0)
                throw BerthException.InvalidArgument($"bad format of filter (expected name=value)");
            var key = value[..eq];
            if (key is not ("id" or "name" or "label" or "status" or "exited" or "ancestor" or "before" or "since"))
                throw BerthException.InvalidArgument($"invalid filter '{key}'");
            if (key == "status" && value[(eq + 1)..] is not ("created" or "restarting" or "running" or "removing" or "paused" or "exited" or "dead"))
                throw BerthException.InvalidArgument($"invalid filter 'status={value[(eq + 1)..]}'");
            if (!filter._filters.TryGetValue(key, out var list))
                filter._filters[key] = list = [];
            list.Add(value[(eq + 1)..]);
        }
        return filter;
    }

    /// <summary>docker's name filter: a regular expression matched against "/NAME" or "NAME" (an invalid one matches nothing).</summary>
    private static bool NameMatches(string pattern, string name)
    {
        name = name.TrimStart('/');
        try
        {
            return System.Text.RegularExpressions.Regex.IsMatch("/" + name, pattern) || System.Text.RegularExpressions.Regex.IsMatch(name, pattern);
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    public bool Matches(ContainerView v, ContainerStore store)
    {
        foreach (var (key, values) in _filters)
        {
            var ok = key switch
            {
                "id" => values.Any(x => v.Id.StartsWith(x, StringComparison.Ordinal)),
                "name" => values.Any(x => NameMatches(x, v.Name)),
                "label" => values.All(x => LabelMatches(v, x)),
                "status" => values.Contains(v.State.Status),
                "exited" => v.State.Status == "exited" && values.Any(x => int.TryParse(x, System.Globalization.CultureInfo.InvariantCulture, out var c) && c == v.State.ExitCode),
                "ancestor" => values.Any(x => v.Record.Config.Image == x || v.Record.Image.Contains(x, StringComparison.Ordinal)),
                "before" => values.All(x => store.Resolve(x).Created > v.Record.Created),
                "since" => values.All(x => store.Resolve(x).Created < v.Record.Created),
                _ => true,
            };
            if (!ok)
                return false;
        }
        return true;
    }

    private static bool LabelMatches(ContainerView v, string filter)
    {
        var labels = v.Record.Config.Labels ?? new Dictionary<string, string>();
        var eq = filter.IndexOf('=');
        return eq < 0 ? labels.ContainsKey(filter) : labels.TryGetValue(filter[..eq], out var value) && value == filter[(eq + 1)..];
    }
}
