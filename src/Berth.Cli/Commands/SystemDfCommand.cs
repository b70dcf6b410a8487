using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Berth.Cli.Formatting;
using Berth.Engine.Containers;
using Berth.Engine.Images;

namespace Berth.Cli.Commands;

/// <summary>`system df [-v] [--format F]`: space used by images, containers, local volumes and build cache.</summary>
internal static class SystemDfCommand
{
    private static readonly Dictionary<string, string> Headers = new(StringComparer.Ordinal)
    {
        ["Type"] = "TYPE", ["TotalCount"] = "TOTAL", ["Active"] = "ACTIVE", ["Size"] = "SIZE", ["Reclaimable"] = "RECLAIMABLE",
    };

    public static Command Build()
    {
        var verbose = new Option<bool>("--verbose", "-v") { Description = "show detailed information on space usage" };
        var format = new Option<string?>("--format") { Description = "format output using a Go template, 'table', or 'json'" };
        var command = new Command("df", "show berth disk usage");
        command.Options.Add(verbose);
        command.Options.Add(format);
        command.SetAction(r => Cli.ExecuteAsync(async () =>
        {
            var engine = Cli.Engine(r);
            var images = await engine.Images.ListAsync().ConfigureAwait(false);
            var containers = engine.Containers.List();
            var used = containers.Select(c => c.Record.Image).ToHashSet(StringComparer.Ordinal);
            var imageSize = images.Sum(i => i.Size);
            var imageFree = images.Where(i => !used.Contains(i.Id.ToString())).Sum(i => i.Size);
            var sizes = containers.ToDictionary(c => c.Id, c => LayerStore.DirectorySize(Snapshot.UpperPath(c.Dir)));
            var containerSize = sizes.Values.Sum();
            var containerFree = containers.Where(c => !c.State.IsActive).Sum(c => sizes[c.Id]);
            var rows = new List<JsonElement>
            {
                Row("Images", images.Count, images.Count(i => used.Contains(i.Id.ToString())), imageSize, imageFree),
                Row("Containers", containers.Count, containers.Count(c => c.State.IsActive), containerSize, containerFree),
                Row("Local Volumes", 0, 0, 0, 0),
                Row("Build Cache", 0, 0, 0, 0),
            };
            if (r.GetValue(verbose) && string.IsNullOrEmpty(r.GetValue(format)))
            {
                Console.Out.WriteLine("Images space usage:\n");
                var imageRows = images.SelectMany(i => (i.Tags.Any() ? i.Tags : ["<none>:<none>"]).Select(t => JsonRow.Build(w =>
                {
                    var name = t == "<none>:<none>" ? t : ImageInspector.Familiar(t);
                    var colon = name.LastIndexOf(':');
                    w.WriteString("Repository", name[..colon]);
                    w.WriteString("Tag", name[(colon + 1)..]);
                    w.WriteString("ID", i.Id.Encoded[..12]);
                    w.WriteString("CreatedSince", i.Created is { } c ? Humanize.CreatedAgo(c, DateTimeOffset.UtcNow) : "N/A");
                    w.WriteString("Size", Humanize.HumanSize(i.Size));
                    w.WriteString("Containers", containers.Count(x => x.Record.Image == i.Id.ToString()).ToString(CultureInfo.InvariantCulture));
                }))).ToList();
                new FormatWriter(null, "{{.Repository}}\t{{.Tag}}\t{{.ID}}\t{{.CreatedSince}}\t{{.Size}}\t{{.Containers}}",
                    new Dictionary<string, string> { ["Repository"] = "REPOSITORY", ["Tag"] = "TAG", ["ID"] = "IMAGE ID", ["CreatedSince"] = "CREATED", ["Size"] = "SIZE", ["Containers"] = "CONTAINERS" })
                    .Write(Console.Out, imageRows);
                Console.Out.WriteLine("\nContainers space usage:\n");
                var containerRows = containers.Select(c => JsonRow.Build(w =>
                {
                    w.WriteString("ID", c.Id[..12]);
                    w.WriteString("Image", c.Record.Config.Image);
                    w.WriteString("Command", HistoryCommand.Ellipsis("\"" + string.Join(' ', new[] { c.Record.Path }.Concat(c.Record.Args)) + "\"", 20));
                    w.WriteString("Size", Humanize.HumanSize(sizes[c.Id]));
                    w.WriteString("CreatedSince", Humanize.CreatedAgo(c.Record.Created, DateTimeOffset.UtcNow));
                    w.WriteString("Status", c.State.Status);
                    w.WriteString("Names", c.Name);
                })).ToList();
                new FormatWriter(null, "{{.ID}}\t{{.Image}}\t{{.Command}}\t{{.Size}}\t{{.CreatedSince}}\t{{.Status}}\t{{.Names}}",
                    new Dictionary<string, string> { ["ID"] = "CONTAINER ID", ["Image"] = "IMAGE", ["Command"] = "COMMAND", ["Size"] = "SIZE", ["CreatedSince"] = "CREATED", ["Status"] = "STATUS", ["Names"] = "NAMES" })
                    .Write(Console.Out, containerRows);
                Console.Out.WriteLine("\nLocal Volumes space usage:\n\nVOLUME NAME   LINKS     SIZE\n\nBuild cache usage: 0B\n\nCACHE ID   CACHE TYPE   SIZE      CREATED   LAST USED   USAGE     SHARED");
                return 0;
            }
            new FormatWriter(r.GetValue(format), "{{.Type}}\t{{.TotalCount}}\t{{.Active}}\t{{.Size}}\t{{.Reclaimable}}", Headers).Write(Console.Out, rows);
            return 0;
        }));
        return command;
    }

    private static JsonElement Row(string type, int total, int active, long size, long reclaimable) => JsonRow.Build(w =>
    {
        w.WriteString("Active", active.ToString(CultureInfo.InvariantCulture));
        w.WriteString("Reclaimable", Reclaimable(size, reclaimable));
        w.WriteString("Size", Humanize.HumanSize(size));
        w.WriteString("TotalCount", total.ToString(CultureInfo.InvariantCulture));
        w.WriteString("Type", type);
    });

    /// <summary>docker's "SIZE (PCT%)", the percentage left out when there is nothing to reclaim from.</summary>
    public static string Reclaimable(long size, long reclaimable) =>
        size > 0 ? $"{Humanize.HumanSize(reclaimable)} ({(int)(100.0 * reclaimable / size)}%)" : Humanize.HumanSize(reclaimable);
}
