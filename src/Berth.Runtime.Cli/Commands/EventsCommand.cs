using System.CommandLine;
using System.Text.Json;
using Berth.Cgroups;
using Berth.Errdefs;

namespace Berth.Runtime.Cli.Commands;

/// <summary>`events`: the container's cgroup statistics, once with --stats or every --interval until it stops.</summary>
internal static class EventsCommand
{
    private static readonly Argument<string> Id = new("container-id");
    private static readonly Option<bool> StatsOnce = new("--stats") { Description = "display the container's stats once, then exit" };
    private static readonly Option<string> Interval = new("--interval") { DefaultValueFactory = _ => "5s" };

    public static Command Build()
    {
        var command = new Command("events", "display container events such as OOM notifications and resource usage");
        command.Arguments.Add(Id);
        command.Options.Add(StatsOnce);
        command.Options.Add(Interval);
        command.SetAction(result => Cli.Execute(result, () =>
        {
            var runtime = Cli.Runtime(result);
            var id = result.GetValue(Id)!;
            var interval = ParseDuration(result.GetValue(Interval)!);
            while (true)
            {
                var stats = runtime.Stats(id);
                var data = JsonSerializer.Serialize(stats, CgroupStatsJsonContext.Default.CgroupStats);
                var idJson = JsonSerializer.Serialize(id, CliJsonContext.Default.String);
                Console.Out.WriteLine($"{{\"type\":\"stats\",\"id\":{idJson},\"data\":{data}}}");
                Console.Out.Flush();
                if (result.GetValue(StatsOnce))
                    return 0;
                Thread.Sleep(interval);
                if (runtime.GetState(id).Status == Oci.Runtime.ContainerStatus.Stopped)
                    return 0;
            }
        }));
        return command;
    }

    private static TimeSpan ParseDuration(string text)
    {
        var units = new (string Suffix, double Ms)[] { ("ms", 1), ("s", 1000), ("m", 60000), ("h", 3600000) };
        foreach (var (suffix, ms) in units)
        {
            if (text.EndsWith(suffix, StringComparison.Ordinal)
                && double.TryParse(text[..^suffix.Length], System.Globalization.NumberStyles.AllowDecimalPoint, System.Globalization.CultureInfo.InvariantCulture, out var n)
                && n > 0)
                return TimeSpan.FromMilliseconds(n * ms);
        }
        throw BerthException.InvalidArgument($"--interval `{text}` is not a duration such as 5s");
    }
}
