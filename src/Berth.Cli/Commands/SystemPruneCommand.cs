using System.CommandLine;
using Berth.Cli.Formatting;

namespace Berth.Cli.Commands;

/// <summary>`system prune [-a] [-f] [--volumes] [--filter k=v]`: stopped containers, dangling (or, with -a, unused) images, and what crashed writers left.</summary>
internal static class SystemPruneCommand
{
    public static Command Build()
    {
        var all = new Option<bool>("--all", "-a") { Description = "remove all unused images not just dangling ones" };
        var force = new Option<bool>("--force", "-f") { Description = "do not prompt for confirmation" };
        var volumes = new Option<bool>("--volumes") { Description = "prune anonymous volumes" };
        var filter = new Option<string[]>("--filter") { Description = "provide filter values (e.g. 'label=<key>=<value>')", DefaultValueFactory = _ => [] };
        var command = new Command("prune", "remove unused data");
        foreach (var option in new Option[] { all, force, volumes, filter })
            command.Options.Add(option);
        command.SetAction(r => Cli.ExecuteAsync(async () =>
        {
            var warning = "WARNING! This will remove:\n  - all stopped containers\n"
                + (r.GetValue(volumes) ? "  - all anonymous volumes not used by at least one container\n" : "")
                + (r.GetValue(all) ? "  - all images without at least one container associated to them\n" : "  - all dangling images\n")
                + "  - unused build cache\n";
            if (!r.GetValue(force) && !ExtraImageVerbs.Confirm(warning))
                return 0;
            var engine = Cli.Engine(r);
            var filters = r.GetValue(filter)!;
            var (ids, containerBytes) = await ContainerPruneCommand.PruneAsync(engine, filters).ConfigureAwait(false);
            if (ids.Count > 0)
            {
                Console.Out.WriteLine("Deleted Containers:");
                foreach (var id in ids)
                    Console.Out.WriteLine(id);
                Console.Out.WriteLine();
            }
            var service = ExtraImageVerbs.Images(r);
            await service.AbortLeftoverIngestsAsync().ConfigureAwait(false);
            if (Directory.Exists(engine.Images.Content.Root))
                await engine.Images.Content.CheckAsync(TimeSpan.Zero).ConfigureAwait(false);
            var (records, imageBytes) = await service.PruneAsync(r.GetValue(all), ImagePruneCommand.Filter(filters)).ConfigureAwait(false);
            if (records.Count > 0)
            {
                Console.Out.WriteLine("Deleted Images:");
                foreach (var (kind, value) in records)
                    Console.Out.WriteLine($"{kind}: {value}");
                Console.Out.WriteLine();
            }
            Console.Out.WriteLine($"Total reclaimed space: {Humanize.HumanSize(containerBytes + imageBytes)}");
            return 0;
        }));
        return command;
    }
}
