using System.CommandLine;
using System.Globalization;
using Berth.Cli.Formatting;
using Berth.Engine.Images;
using Berth.Errdefs;

namespace Berth.Cli.Commands;

/// <summary>`image prune [-a] [-f] [--filter k=v]`: remove dangling images (or every unused one with -a).</summary>
internal static class ImagePruneCommand
{
    public static Command Build()
    {
        var all = new Option<bool>("--all", "-a") { Description = "remove all unused images, not just dangling ones" };
        var force = new Option<bool>("--force", "-f") { Description = "do not prompt for confirmation" };
        var filter = new Option<string[]>("--filter") { Description = "provide filter values (e.g. 'until=<timestamp>')", DefaultValueFactory = _ => [] };
        var command = new Command("prune", "remove unused images");
        command.Options.Add(all);
        command.Options.Add(force);
        command.Options.Add(filter);
        command.SetAction(r => Cli.ExecuteAsync(async () =>
        {
            var predicate = Filter(r.GetValue(filter)!);
            var warning = r.GetValue(all)
                ? "WARNING! This will remove all images without at least one container associated to them."
                : "WARNING! This will remove all dangling images.";
            if (!r.GetValue(force) && !ExtraImageVerbs.Confirm(warning))
                return 0;
            var (records, reclaimed) = await ExtraImageVerbs.Images(r).PruneAsync(r.GetValue(all), predicate).ConfigureAwait(false);
            if (records.Count > 0)
            {
                Console.Out.WriteLine("Deleted Images:");
                foreach (var (kind, value) in records)
                    Console.Out.WriteLine($"{kind}: {value}");
                Console.Out.WriteLine();
            }
            Console.Out.WriteLine($"Total reclaimed space: {Humanize.HumanSize(reclaimed)}");
            return 0;
        }));
        return command;
    }

    /// <summary>docker's prune filters for images: until=TIME|DURATION, label=K[=V], label!=K[=V].</summary>
    public static Func<ImageInfo, bool> Filter(IEnumerable<string> values)
    {
        var tests = new List<Func<ImageInfo, bool>>();
        foreach (var value in values)
        {
            var eq = value.IndexOf('=');
            if (eq <= 0)
                throw BerthException.InvalidArgument("bad format of filter (expected name=value)");
            var key = value[..eq];
            var arg = value[(eq + 1)..];
            switch (key)
            {
                case "until":
                    var until = ParseUntil(arg, DateTimeOffset.UtcNow);
                    tests.Add(i => (i.Created ?? DateTimeOffset.UnixEpoch) < until);
                    break;
                case "label":
                    tests.Add(i => HasLabel(i, arg));
                    break;
                case "label!":
                    tests.Add(i => !HasLabel(i, arg));
                    break;
                default:
                    throw BerthException.InvalidArgument($"invalid filter '{key}'");
            }
        }
        return image => tests.All(t => t(image));
    }

    /// <summary>A Go duration (10m, 24h, 1h30m) before now, a unix time, or an RFC 3339 time.</summary>
    public static DateTimeOffset ParseUntil(string text, DateTimeOffset now)
    {
        var m = System.Text.RegularExpressions.Regex.Match(text, @"^(?:(\d+(?:\.\d+)?)(h|m|s|ms))+$");
        if (m.Success)
        {
            var total = TimeSpan.Zero;
            foreach (System.Text.RegularExpressions.Match part in System.Text.RegularExpressions.Regex.Matches(text, @"(\d+(?:\.\d+)?)(ms|h|m|s)"))
            {
                var n = double.Parse(part.Groups[1].Value, CultureInfo.InvariantCulture);
                total += part.Groups[2].Value switch { "h" => TimeSpan.FromHours(n), "m" => TimeSpan.FromMinutes(n), "s" => TimeSpan.FromSeconds(n), _ => TimeSpan.FromMilliseconds(n) };
            }
            return now - total;
        }
        if (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var unix))
            return DateTimeOffset.FromUnixTimeSeconds(unix);
        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time))
            return time;
        throw BerthException.InvalidArgument($"failed to parse value as time or duration: \"{text}\"");
    }

    private static bool HasLabel(ImageInfo image, string arg)
    {
        var labels = image.Config.Config?.Labels;
        if (labels is null)
            return false;
        var eq = arg.IndexOf('=');
        return eq < 0 ? labels.ContainsKey(arg) : labels.TryGetValue(arg[..eq], out var v) && v == arg[(eq + 1)..];
    }
}
