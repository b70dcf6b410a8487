using System.CommandLine;
using Berth.Engine.Containers;
using Berth.Engine.Logs;
using Berth.Errdefs;

namespace Berth.Cli.Commands;

/// <summary>
/// `logs [-f] [--tail N|all] [--since T] [--until T] [-t] [--details] CONTAINER`: the container's
/// json-file log, stdout to stdout and stderr to stderr; with -f it keeps going until the
/// container stops.
/// </summary>
internal static class LogsCommand
{
    public static Command Build()
    {
        var follow = new Option<bool>("--follow", "-f") { Description = "follow log output" };
        var tail = new Option<string>("--tail", "-n") { Description = "number of lines to show from the end of the logs", DefaultValueFactory = _ => "all" };
        var since = new Option<string?>("--since") { Description = "show logs since timestamp (e.g. 2013-01-02T13:23:37Z) or relative (e.g. 42m)" };
        var until = new Option<string?>("--until") { Description = "show logs before a timestamp or relative time" };
        var timestamps = new Option<bool>("--timestamps", "-t") { Description = "show timestamps" };
        var details = new Option<bool>("--details") { Description = "show extra details provided to logs" };
        var container = new Argument<string>("container");
        var command = new Command("logs", "fetch the logs of a container");
        foreach (var option in new Option[] { follow, tail, since, until, timestamps, details })
            command.Options.Add(option);
        command.Arguments.Add(container);
        command.SetAction(r => Cli.ExecuteAsync(async () =>
        {
            var engine = Cli.Engine(r);
            var view = engine.Containers.Get(r.GetValue(container)!);
            var now = DateTimeOffset.UtcNow;
            var options = new LogReadOptions
            {
                Tail = ParseTail(r.GetValue(tail)!),
                Since = r.GetValue(since) is { Length: > 0 } s ? LogTime.Parse(s, now) : null,
                Until = r.GetValue(until) is { Length: > 0 } u ? LogTime.Parse(u, now) : null,
                Timestamps = r.GetValue(timestamps),
                Follow = r.GetValue(follow),
                IsRunning = () => IsActive(engine.Containers, view.Id),
            };
            using var stdout = Console.OpenStandardOutput();
            using var stderr = Console.OpenStandardError();
            await JsonFileLogReader.ReadAsync(ContainerService.LogPath(view.Dir, view.Id), options, stdout, stderr, CancellationToken.None).ConfigureAwait(false);
            return 0;
        }));
        return command;
    }

    /// <summary>docker's --tail: "all", or a count (a negative count means all).</summary>
    public static int? ParseTail(string text)
    {
        if (text == "all" || text.Length == 0)
            return null;
        if (!int.TryParse(text, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out var n))
            throw BerthException.InvalidArgument($"invalid value for \"tail\": strconv.Atoi: parsing \"{text}\": invalid syntax");
        return n < 0 ? null : n;
    }

    private static bool IsActive(ContainerService containers, string id)
    {
        try
        {
            return containers.Get(id).State.IsActive;
        }
        catch (BerthException e) when (e.Kind == ErrorKind.NotFound)
        {
            return false;
        }
    }
}
