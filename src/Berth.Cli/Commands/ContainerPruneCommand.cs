using System.CommandLine;
using Berth.Cli.Formatting;
using Berth.Engine;
using Berth.Engine.Images;
using Berth.Errdefs;

namespace Berth.Cli.Commands;

/// <summary>`container prune [-f] [--filter k=v]`: remove every stopped container.</summary>
internal static class ContainerPruneCommand
{
    public static Command Build()
    {
        var force = new Option<bool>("--force", "-f") { Description = "do not prompt for confirmation" };
        var filter = new Option<string[]>("--filter") { Description = "provide filter values (e.g. 'until=<timestamp>')", DefaultValueFactory = _ => [] };
        var command = new Command("prune", "remove all stopped containers");
        command.Options.Add(force);
        command.Options.Add(filter);
        command.SetAction(r => Cli.ExecuteAsync(async () =>
        {
            if (!r.GetValue(force) && !ExtraImageVerbs.Confirm("WARNING! This will remove all stopped containers."))
                return 0;
            var (ids, reclaimed) = await PruneAsync(Cli.Engine(r), r.GetValue(filter)!).ConfigureAwait(false);
            if (ids.Count > 0)
            {
                Console.Out.WriteLine("Deleted Containers:");
                foreach (var id in ids)
                    Console.Out.WriteLine(id);
                Console.Out.WriteLine();
            }
            Console.Out.WriteLine($"Total reclaimed space: {Humanize.HumanSize(reclaimed)}");
            return 0;
        }));
        return command;
    }

    /// <summary>Removes stopped containers matching the filters (until=, label=, label!=); returns their ids and the bytes their writable layers held.</summary>
    public static async Task<(List<string> Ids, long Reclaimed)> PruneAsync(Engine.Engine engine, IEnumerable<string> filters)
    {
        var tests = new List<Func<Berth.Engine.Containers.ContainerView, bool>>();
        foreach (var value in filters)
        {
            var eq = value.IndexOf('=');
            if (eq <= 0)
                throw BerthException.InvalidArgument("bad format of filter (expected name=value)");
            var (key, arg) = (value[..eq], value[(eq + 1)..]);
            switch (key)
            {
                case "until":
                    var until = ImagePruneCommand.ParseUntil(arg, DateTimeOffset.UtcNow);
                    tests.Add(c => c.Record.Created < until);
                    break;
                case "label":
                case "label!":
                    var k = arg.Split('=', 2);
                    bool Has(Berth.Engine.Containers.ContainerView c) => c.Record.Config.Labels is { } l && l.TryGetValue(k[0], out var v) && (k.Length == 1 || v == k[1]);
                    tests.Add(key == "label" ? Has : c => !Has(c));
                    break;
                default:
                    throw BerthException.InvalidArgument($"invalid filter '{key}'");
            }
        }
        var ids = new List<string>();
        long reclaimed = 0;
        foreach (var view in engine.Containers.List())
        {
            if (view.State.IsActive || view.State.Paused || !tests.All(t => t(view)))
                continue;
            var size = LayerStore.DirectorySize(Berth.Engine.Containers.Snapshot.UpperPath(view.Dir));
            try
            {
                await engine.Containers.RemoveAsync(view.Id, force: false).ConfigureAwait(false);
            }
            catch (BerthException e) when (e.Kind is ErrorKind.Conflict or ErrorKind.NotFound)
            {
                continue; // started again, or removed, meanwhile
            }
            ids.Add(view.Id);
            reclaimed += size;
        }
        return (ids, reclaimed);
    }
}
