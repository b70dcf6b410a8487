using System.CommandLine;
using System.Text.Json;
using Berth.Cli.Formatting;
using Berth.Engine.Containers;
using Berth.Errdefs;

namespace Berth.Cli.Commands;

/// <summary>`ps [-a] [-q] [-n N] [-l] [-s] [--no-trunc] [--filter k=v] [--format F]`: list containers as docker does.</summary>
internal static class PsCommand
{
    private static readonly Dictionary<string, string> Headers = new(StringComparer.Ordinal)
    {
        ["ID"] = "CONTAINER ID", ["Image"] = "IMAGE", ["Command"] = "COMMAND", ["CreatedAt"] = "CREATED AT",
        ["RunningFor"] = "CREATED", ["Status"] = "STATUS", ["Ports"] = "PORTS", ["Names"] = "NAMES",
        ["Labels"] = "LABELS", ["Mounts"] = "MOUNTS", ["Networks"] = "NETWORKS", ["Size"] = "SIZE",
        ["State"] = "STATE", ["LocalVolumes"] = "LOCAL VOLUMES",
    };

    private const string DefaultTable = "{{.ID}}\t{{.Image}}\t{{.Command}}\t{{.RunningFor}}\t{{.Status}}\t{{.Ports}}\t{{.Names}}";

    public static Command Build(string name, string description)
    {
        var all = new Option<bool>("--all", "-a") { Description = "show all containers (default shows just running)" };
        var quiet = new Option<bool>("--quiet", "-q") { Description = "only display container IDs" };
        var last = new Option<int>("--last", "-n") { Description = "show n last created containers (includes all states)", DefaultValueFactory = _ => -1 };
        var latest = new Option<bool>("--latest", "-l") { Description = "show the latest created container (includes all states)" };
        var noTrunc = new Option<bool>("--no-trunc") { Description = "don't truncate output" };
        var size = new Option<bool>("--size", "-s") { Description = "display total file sizes" };
        var filter = new Option<string[]>("--filter", "-f") { Description = "filter output based on conditions provided", DefaultValueFactory = _ => [], AllowMultipleArgumentsPerToken = false };
        var format = new Option<string?>("--format") { Description = "format output using a Go template, 'table', or 'json'" };
        var command = new Command(name, description);
        foreach (var option in new Option[] { all, quiet, last, latest, noTrunc, size, filter, format })
            command.Options.Add(option);
        command.SetAction(r => Cli.Execute(() =>
        {
            var engine = Cli.Engine(r);
            var filters = ContainerFilter.Parse(r.GetValue(filter)!);
            var views = engine.Containers.List().Reverse().ToList();
            var n = r.GetValue(latest) ? 1 : r.GetValue(last);
            var showAll = r.GetValue(all) || n > 0 || filters.ImpliesAll;
            var selected = views.Where(v => (showAll || v.State.Running) && filters.Matches(v, engine.Containers.Store));
            if (n > 0)
                selected = selected.Take(n);
            var list = selected.ToList();
            // docker: a custom --format wins over -q.
            if (r.GetValue(quiet) && string.IsNullOrEmpty(r.GetValue(format)))
            {
                foreach (var v in list)
                    Console.Out.WriteLine(r.GetValue(noTrunc) ? v.Id : v.Id[..12]);
                return 0;
            }
            var now = DateTimeOffset.UtcNow;
            var withSize = r.GetValue(size);
            var writer = new FormatWriter(r.GetValue(format), withSize ? DefaultTable + "\t{{.Size}}" : DefaultTable, Headers);
            writer.Write(Console.Out, list.Select(v => Row(v, now, r.GetValue(noTrunc), withSize)));
            return 0;
        }));
        return command;
    }

    /// <summary>docker ps's row: the fields its --format templates name.</summary>
    public static JsonElement Row(ContainerView v, DateTimeOffset now, bool noTrunc, bool withSize) => JsonRow.Build(w =>
    {
        var s = v.State;
        w.WriteString("Command", Humanize.CommandText(v.Record.Path, v.Record.Args, noTrunc));
        w.WriteString("CreatedAt", v.Record.Created.ToLocalTime().ToString("yyyy-MM-dd HH:mm:ss zzz", System.Globalization.CultureInfo.InvariantCulture).Replace("+00:00", "+0000 UTC", StringComparison.Ordinal));
        w.WriteString("ID", noTrunc ? v.Id : v.Id[..12]);
        w.WriteString("Image", v.Record.Config.Image);
        w.WriteString("Labels", string.Join(',', (v.Record.Config.Labels ?? new Dictionary<string, string>()).Select(kv => kv.Key + "=" + kv.Value)));
        w.WriteString("LocalVolumes", "0");
        w.WriteString("Mounts", string.Join(',', v.Record.Mounts.Select(m => m.Source)));
        w.WriteString("Names", v.Name);
        w.WriteString("Networks", v.Record.HostConfig.NetworkMode is "default" or "bridge" ? "none" : v.Record.HostConfig.NetworkMode);
        w.WriteString("Ports", Ports(v));
        w.WriteString("RunningFor", Humanize.CreatedAgo(v.Record.Created, now));
        w.WriteString("Size", withSize ? Humanize.HumanSize(Berth.Engine.Images.LayerStore.DirectorySize(Snapshot.UpperPath(v.Dir))) + " (virtual)" : "0B");
        w.WriteString("State", s.Status);
        w.WriteString("Status", Humanize.StatusText(s.Status, s.StartedAt, s.FinishedAt, s.ExitCode, now, s.Restarting, s.Paused));
    });

    private static string Ports(ContainerView v)
    {
        var parts = new List<string>();
        foreach (var (port, bindings) in v.Record.HostConfig.PortBindings ?? new Dictionary<string, IReadOnlyList<Engine.Model.PortBinding>>())
        {
            foreach (var b in bindings)
                parts.Add($"{(b.HostIp.Length == 0 ? "0.0.0.0" : b.HostIp)}:{b.HostPort}->{port}");
        }
        foreach (var port in v.Record.Config.ExposedPorts ?? [])
        {
            if (v.Record.HostConfig.PortBindings?.ContainsKey(port) != true)
                parts.Add(port);
        }
        return string.Join(", ", parts);
    }
}
