using System.CommandLine;

namespace Berth.Cli.Commands;

/// <summary>Top-level groups and verbs that span containers and images: `system df`, `system prune`, `cp`, `diff`, `export`, `container prune`.</summary>
internal static class SystemVerbs
{
    /// <summary>Top-level commands (e.g. the `system` group, `cp`, `diff`, `export`).</summary>
    public static IEnumerable<Command> TopLevel()
    {
        yield return CpCommand.Build();
        yield return DiffCommand.Build();
        yield return ExportCommand.Build();
        var system = new Command("system", "manage berth");
        system.Subcommands.Add(SystemDfCommand.Build());
        system.Subcommands.Add(SystemPruneCommand.Build());
        yield return system;
        yield return BuilderPruneCommand.Build();
    }

    /// <summary>Extra subcommands of the `container` group (e.g. `prune`, and `cp`/`diff`/`export` again).</summary>
    public static IEnumerable<Command> ContainerGroup()
    {
        yield return ContainerPruneCommand.Build();
        yield return CpCommand.Build();
        yield return DiffCommand.Build();
        yield return ExportCommand.Build();
        yield return CommitCommand.Build();
    }
}
