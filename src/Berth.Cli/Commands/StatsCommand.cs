using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Berth.Cli.Formatting;
using Berth.Engine.Containers;
using Berth.Errdefs;

namespace Berth.Cli.Commands;

/// <summary>
/// `stats [-a] [--no-stream] [--no-trunc] [--format F] [CONTAINER...]`: docker's live table of
/// CPU %, memory, network and block I/O and pids per container, from the runtime's cgroup
/// statistics. CPU % needs two samples, so every table is drawn from readings about a second
/// apart; without --no-stream the screen is redrawn every second until interrupted.
/// </summary>
internal static class StatsCommand
{
    private static readonly Dictionary<string, string> Headers = new(StringComparer.Ordinal)
    {
        ["Container"] = "CONTAINER", ["ID"] = "CONTAINER ID", ["Name"] = "NAME", ["CPUPerc"] = "CPU %",
        ["MemUsage"] = "MEM USAGE / LIMIT", ["MemPerc"] = "MEM %", ["NetIO"] = "NET I/O", ["BlockIO"] = "BLOCK I/O",
        ["PIDs"] = "PIDS",
    };

    private const string DefaultTable = "{{.ID}}\t{{.Name}}\t{{.CPUPerc}}\t{{.MemUsage}}\t{{.MemPerc}}\t{{.NetIO}}\t{{.BlockIO}}\t{{.PIDs}}";

    public static Command Build()
    {
        var all = new Option<bool>("--all", "-a") { Description = "show all containers (default shows just running)" };
        var noStream = new Option<bool>("--no-stream") { Description = "disable streaming stats and only pull the first result" };
        var noTrunc = new Option<bool>("--no-trunc") { Description = "do not truncate output" };
        var format = new Option<string?>("--format") { Description = "format output using a Go template, 'table', or 'json'" };
        var containers = new Argument<string[]>("container") { Arity = ArgumentArity.ZeroOrMore };
        var command = new Command("stats", "display a live stream of container(s) resource usage statistics");
        foreach (var option in new Option[] { all, noStream, noTrunc, format })
            command.Options.Add(option);
        command.Arguments.Add(containers);
        command.SetAction(r => Cli.Execute(() =>
        {
            var engine = Cli.Engine(r);
            var names = r.GetValue(containers)!;
            var writer = new FormatWriter(r.GetValue(format), DefaultTable, Headers);
            var hostMemory = ContainerStats.HostMemory();
            var previous = new Dictionary<string, ContainerStats>(StringComparer.Ordinal);
            var stream = !r.GetValue(noStream);
            var first = true;
            while (true)
            {
                var views = Select(engine.Containers, names, r.GetValue(all));
                var samples = views.ToDictionary(v => v.Id, v => Sample(engine.Containers, v));
                if (first)
                {
                    // CPU % is a rate: take the first reading, wait, then draw.
                    foreach (var (id, s) in samples)
                    {
                        if (s is not null)
                            previous[id] = s;
                    }
                    Thread.Sleep(TimeSpan.FromSeconds(1));
                    views = Select(engine.Containers, names, r.GetValue(all));
                    samples = views.ToDictionary(v => v.Id, v => Sample(engine.Containers, v));
                    first = false;
                }
                var rows = views.Select(v => Row(v, names, previous.GetValueOrDefault(v.Id), samples[v.Id], hostMemory, r.GetValue(noTrunc))).ToList();
                if (stream)
                    Console.Out.Write("\u001b[2J\u001b[H");
                writer.Write(Console.Out, rows);
                Console.Out.Flush();
                if (!stream)
                    return 0;
                foreach (var (id, s) in samples)
                {
                    if (s is not null)
                        previous[id] = s;
                }
                Thread.Sleep(TimeSpan.FromSeconds(1));
            }
        }));
        return command;
    }

    private static List<ContainerView> Select(ContainerService containers, string[] names, bool all)
    {
        if (names.Length == 0)
            return containers.List().Where(v => all || v.State.Running).Reverse().ToList();
        var views = new List<ContainerView>();
        foreach (var name in names)
            views.Add(containers.Get(name));
        return views;
    }

    private static ContainerStats? Sample(ContainerService containers, ContainerView view)
    {
        if (!view.State.Running)
            return null;
        try
        {
            return containers.ReadStats(view);
        }
        catch (BerthException)
        {
            // Exited between listing and reading: shown as zeros, as docker does.
            return null;
        }
    }

    /// <summary>docker stats' row: the fields its --format templates name.</summary>
    public static JsonElement Row(ContainerView view, IReadOnlyCollection<string> asked, ContainerStats? previous, ContainerStats? current, ulong hostMemory, bool noTrunc)
    {
        var asGiven = asked.FirstOrDefault(n => n == view.Name || n == view.Id || view.Id.StartsWith(n, StringComparison.Ordinal));
        var text = Texts(previous, current, hostMemory);
        return JsonRow.Build(w =>
        {
            w.WriteString("BlockIO", text.BlockIO);
            w.WriteString("CPUPerc", text.CpuPerc);
            w.WriteString("Container", asGiven ?? (noTrunc ? view.Id : view.Id[..12]));
            w.WriteString("ID", noTrunc ? view.Id : view.Id[..12]);
            w.WriteString("MemPerc", text.MemPerc);
            w.WriteString("MemUsage", text.MemUsage);
            w.WriteString("Name", view.Name);
            w.WriteString("NetIO", text.NetIO);
            w.WriteString("PIDs", text.Pids);
        });
    }

    /// <summary>The columns' texts, as docker formats them (a missing sample is all zeros).</summary>
    public static (string CpuPerc, string MemUsage, string MemPerc, string NetIO, string BlockIO, string Pids) Texts(ContainerStats? previous, ContainerStats? current, ulong hostMemory)
    {
        if (current is null)
            return ("0.00%", "0B / 0B", "0.00%", "0B / 0B", "0B / 0B", "0");
        var limit = ContainerStats.EffectiveLimit(current.MemoryLimit, hostMemory);
        var cpu = ContainerStats.CpuPercent(previous, current);
        var mem = ContainerStats.MemoryPercent(current.MemoryUsage, limit);
        return (
            cpu.ToString("F2", CultureInfo.InvariantCulture) + "%",
            Humanize.BytesSize(current.MemoryUsage) + " / " + Humanize.BytesSize(limit),
            mem.ToString("F2", CultureInfo.InvariantCulture) + "%",
            "0B / 0B",
            Humanize.HumanSizeWithPrecision(current.BlockRead, 3) + " / " + Humanize.HumanSizeWithPrecision(current.BlockWrite, 3),
            current.Pids.ToString(CultureInfo.InvariantCulture));
    }
}
