using System.CommandLine;
using System.Text.Json;
using Berth.Cli.Formatting;
using Berth.Engine.Images;
using Berth.Errdefs;
using Berth.Oci.References;

namespace Berth.Cli.Commands;

/// <summary>`images` / `image ls [-a] [-q] [--digests] [--no-trunc] [--filter k=v] [--format F] [REPOSITORY[:TAG]]`.</summary>
internal static class ImagesCommand
{
    private static readonly Dictionary<string, string> Headers = new(StringComparer.Ordinal)
    {
        ["Repository"] = "REPOSITORY", ["Tag"] = "TAG", ["ID"] = "IMAGE ID", ["Digest"] = "DIGEST",
        ["CreatedSince"] = "CREATED", ["CreatedAt"] = "CREATED AT", ["Size"] = "SIZE",
        ["Containers"] = "CONTAINERS", ["SharedSize"] = "SHARED SIZE", ["UniqueSize"] = "UNIQUE SIZE", ["VirtualSize"] = "SIZE",
    };

    public static Command Build(string name)
    {
        var all = new Option<bool>("--all", "-a") { Description = "show all images (default hides intermediate images)" };
        var quiet = new Option<bool>("--quiet", "-q") { Description = "only show image IDs" };
        var digests = new Option<bool>("--digests") { Description = "show digests" };
        var noTrunc = new Option<bool>("--no-trunc") { Description = "don't truncate output" };
        var filter = new Option<string[]>("--filter", "-f") { Description = "filter output based on conditions provided", DefaultValueFactory = _ => [], AllowMultipleArgumentsPerToken = false };
        var format = new Option<string?>("--format") { Description = "format output using a Go template, 'table', or 'json'" };
        var repository = new Argument<string?>("repository") { Arity = ArgumentArity.ZeroOrOne };
        var command = new Command(name, "list images");
        if (name == "ls")
            command.Aliases.Add("list");
        foreach (var option in new Option[] { all, quiet, digests, noTrunc, filter, format })
            command.Options.Add(option);
        command.Arguments.Add(repository);
        command.SetAction(r => Cli.ExecuteAsync(async () =>
        {
            var engine = Cli.Engine(r);
            var images = await engine.Images.ListAsync().ConfigureAwait(false);
            var filters = ParseFilters(r.GetValue(filter)!);
            if (r.GetValue(repository) is { } repo)
                filters.Add(("reference", repo));
            var full = r.GetValue(noTrunc);
            var rows = new List<(ImageInfo Image, string Repository, string Tag, string Digest)>();
            foreach (var image in images.OrderByDescending(i => i.Created ?? DateTimeOffset.MinValue))
            {
                foreach (var row in RowsOf(image))
                {
                    if (filters.All(f => Matches(image, row.Repository, row.Tag, f.Key, f.Value)))
                        rows.Add((image, row.Repository, row.Tag, row.Digest));
                }
            }
            if (r.GetValue(quiet))
            {
                foreach (var id in rows.Select(x => x.Image.Id.ToString()).Distinct())
                    Console.Out.WriteLine(full ? id : id["sha256:".Length..][..12]);
                return 0;
            }
            var table = r.GetValue(digests)
                ? "{{.Repository}}\t{{.Tag}}\t{{.Digest}}\t{{.ID}}\t{{.CreatedSince}}\t{{.Size}}"
                : "{{.Repository}}\t{{.Tag}}\t{{.ID}}\t{{.CreatedSince}}\t{{.Size}}";
            var now = DateTimeOffset.UtcNow;
            new FormatWriter(r.GetValue(format), table, Headers).Write(Console.Out, rows.Select(x => Row(x.Image, x.Repository, x.Tag, x.Digest, full, now)));
            return 0;
        }));
        return command;
    }

    /// <summary>One row per tag (docker shows an image once per repository:tag), or one &lt;none&gt; row for an untagged image.</summary>
    private static IEnumerable<(string Repository, string Tag, string Digest)> RowsOf(ImageInfo image)
    {
        var digests = image.Digests.Select(d => Reference.Parse(d)).ToList();
        var any = false;
        foreach (var tag in image.Tags)
        {
            var reference = Reference.Parse(tag);
            var digest = digests.FirstOrDefault(d => d.Name == reference.Name)?.Digest?.ToString() ?? image.ManifestDescriptor.Digest;
            any = true;
            yield return (reference.FamiliarName, reference.Tag ?? "<none>", digest);
        }
        if (!any)
        {
            if (digests.Count > 0)
            {
                foreach (var d in digests)
                    yield return (d.FamiliarName, "<none>", d.Digest!.ToString()!);
            }
            else
            {
                yield return ("<none>", "<none>", image.ManifestDescriptor.Digest);
            }
        }
    }

    private static JsonElement Row(ImageInfo image, string repository, string tag, string digest, bool full, DateTimeOffset now) => JsonRow.Build(w =>
    {
        var created = image.Created ?? DateTimeOffset.UnixEpoch;
        w.WriteString("Containers", "N/A");
        w.WriteString("CreatedAt", created.ToString("yyyy-MM-dd HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture) + " +0000 UTC");
        w.WriteString("CreatedSince", image.Created is null ? "N/A" : Humanize.CreatedAgo(created, now));
        w.WriteString("Digest", digest);
        w.WriteString("ID", full ? image.Id.ToString() : image.Id.Encoded[..12]);
        w.WriteString("Repository", repository);
        w.WriteString("SharedSize", "N/A");
        w.WriteString("Size", Humanize.HumanSize(image.Size));
        w.WriteString("Tag", tag);
        w.WriteString("UniqueSize", "N/A");
        w.WriteString("VirtualSize", Humanize.HumanSize(image.Size));
    });

    private static List<(string Key, string Value)> ParseFilters(IEnumerable<string> values)
    {
        var list = new List<(string, string)>();
        foreach (var value in values)
        {
            var eq = value.IndexOf('=');
            if (eq <= 0)
                throw BerthException.InvalidArgument("bad format of filter (expected name=value)");
            var key = value[..eq];
            if (key is not ("dangling" or "label" or "reference" or "before" or "since"))
                throw BerthException.InvalidArgument($"invalid filter '{key}'");
            list.Add((key, value[(eq + 1)..]));
        }
        return list;
    }

    private static bool Matches(ImageInfo image, string repository, string tag, string key, string value)
    {
        switch (key)
        {
            case "dangling":
                var dangling = repository == "<none>" && tag == "<none>";
                return value is "true" or "1" ? dangling : value is "false" or "0" ? !dangling
                    : throw BerthException.InvalidArgument($"invalid filter 'dangling={value}'");
            case "label":
                var labels = image.Config.Config?.Labels ?? new Dictionary<string, string>();
                var eq = value.IndexOf('=');
                return eq < 0 ? labels.ContainsKey(value) : labels.TryGetValue(value[..eq], out var v) && v == value[(eq + 1)..];
            case "reference":
                var pattern = value.Contains(':') ? value : value + ":*";
                return Glob(pattern, $"{repository}:{tag}");
            default:
                return true;
        }
    }

    /// <summary>Go's path.Match for reference filters: * matches within a path segment.</summary>
    private static bool Glob(string pattern, string text)
    {
        var regex = "^" + System.Text.RegularExpressions.Regex.Escape(pattern).Replace("\\*", "[^/]*", StringComparison.Ordinal).Replace("\\?", "[^/]", StringComparison.Ordinal) + "$";
        return System.Text.RegularExpressions.Regex.IsMatch(text, regex);
    }
}
