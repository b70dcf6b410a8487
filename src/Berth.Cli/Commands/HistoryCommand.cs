using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Berth.Cli.Formatting;
using Berth.Engine.Images;

namespace Berth.Cli.Commands;

/// <summary>`history [--no-trunc] [-q] [-H] [--format F] IMAGE`: the config's history, newest first; lower entries are &lt;missing&gt; as docker shows them.</summary>
internal static class HistoryCommand
{
    private static readonly Dictionary<string, string> Headers = new(StringComparer.Ordinal)
    {
        ["ID"] = "IMAGE", ["CreatedSince"] = "CREATED", ["CreatedAt"] = "CREATED AT", ["CreatedBy"] = "CREATED BY",
        ["Size"] = "SIZE", ["Comment"] = "COMMENT",
    };

    public static Command Build()
    {
        var human = new Option<bool>("--human", "-H") { Description = "print sizes and dates in human readable format", DefaultValueFactory = _ => true };
        var noTrunc = new Option<bool>("--no-trunc") { Description = "don't truncate output" };
        var quiet = new Option<bool>("--quiet", "-q") { Description = "only show image IDs" };
        var format = new Option<string?>("--format") { Description = "format output using a Go template, 'table', or 'json'" };
        var image = new Argument<string>("image");
        var command = new Command("history", "show the history of an image");
        foreach (var option in new Option[] { human, noTrunc, quiet, format })
            command.Options.Add(option);
        command.Arguments.Add(image);
        command.SetAction(r => Cli.ExecuteAsync(async () =>
        {
            var info = await Cli.Engine(r).Images.ResolveAsync(r.GetValue(image)!).ConfigureAwait(false);
            var full = r.GetValue(noTrunc);
            var rows = Rows(info, full, r.GetValue(human), DateTimeOffset.UtcNow);
            if (r.GetValue(quiet))
            {
                foreach (var row in rows)
                    Console.Out.WriteLine(row.GetProperty("ID").GetString());
                return 0;
            }
            new FormatWriter(r.GetValue(format), "{{.ID}}\t{{.CreatedSince}}\t{{.CreatedBy}}\t{{.Size}}\t{{.Comment}}", Headers).Write(Console.Out, rows);
            return 0;
        }));
        return command;
    }

    /// <summary>One row per history entry, newest first; each non-empty entry takes the next layer's size from the top.</summary>
    public static List<JsonElement> Rows(ImageInfo image, bool full, bool human, DateTimeOffset now)
    {
        var history = image.Config.History ?? [];
        var layers = image.Manifest.Layers;
        var layerIndex = 0;
        var sized = new List<(Berth.Oci.Image.History Entry, long Size)>();
        foreach (var entry in history)
        {
            long size = 0;
            if (entry.EmptyLayer != true && layerIndex < layers.Count)
                size = layers[layerIndex++].Size;
            sized.Add((entry, size));
        }
        sized.Reverse();
        var rows = new List<JsonElement>();
        for (var i = 0; i < sized.Count; i++)
        {
            var (entry, size) = sized[i];
            var id = i == 0 ? (full ? image.Id.ToString() : image.Id.Encoded[..12]) : "<missing>";
            DateTimeOffset.TryParse(entry.Created, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var created);
            var createdBy = (entry.CreatedBy ?? "").Replace('\t', ' ');
            if (!full)
                createdBy = Ellipsis(createdBy, 45);
            rows.Add(JsonRow.Build(w =>
            {
                w.WriteString("Comment", entry.Comment ?? "");
                w.WriteString("CreatedAt", created.ToString("yyyy-MM-dd'T'HH:mm:ssK", CultureInfo.InvariantCulture).Replace("+00:00", "Z", StringComparison.Ordinal));
                w.WriteString("CreatedBy", createdBy);
                w.WriteString("CreatedSince", human ? Humanize.CreatedAgo(created, now) : created.ToString("yyyy-MM-dd'T'HH:mm:ssK", CultureInfo.InvariantCulture).Replace("+00:00", "Z", StringComparison.Ordinal));
                w.WriteString("ID", id);
                w.WriteString("Size", human ? Humanize.HumanSizeWithPrecision(size, 3) : size.ToString(CultureInfo.InvariantCulture));
            }));
        }
        return rows;
    }

    /// <summary>docker's formatter.Ellipsis: at most <paramref name="max"/> characters, the last one "…" when cut.</summary>
    public static string Ellipsis(string text, int max) => text.Length <= max ? text : text[..(max - 1)] + "…";
}
