using System.CommandLine;
using Berth.Cli.Formatting;
using Berth.Engine.Builds;

namespace Berth.Cli.Commands;

/// <summary>`builder prune [-a] [-f]`: forget the build cache (with -a, the RUN cache mounts too), as docker's.</summary>
internal static class BuilderPruneCommand
{
    public static Command Build()
    {
        var all = new Option<bool>("--all", "-a") { Description = "remove all unused build cache, cache mounts included" };
        var force = new Option<bool>("--force", "-f") { Description = "do not prompt for confirmation" };
        var command = new Command("prune", "remove build cache");
        command.Options.Add(all);
        command.Options.Add(force);
        command.SetAction(r => Cli.ExecuteAsync(async () =>
        {
            var (entries, bytes) = await new BuildService(Cli.Engine(r)).PruneAsync(r.GetValue(all)).ConfigureAwait(false);
            Console.Out.WriteLine($"Deleted build cache objects: {entries}");
            Console.Out.WriteLine($"Total reclaimed space: {Humanize.HumanSize(bytes)}");
            return 0;
        }));
        var builder = new Command("builder", "manage builds");
        builder.Subcommands.Add(command);
        builder.Subcommands.Add(BuildCommand.Build());
        return builder;
    }
}
