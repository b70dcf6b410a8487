using System.CommandLine;

namespace Berth.Cli.Commands;

/// <summary>`rm [-f] [-v] CONTAINER...`: remove containers; a running one only with -f.</summary>
internal static class RmCommand
{
    public static Command Build()
    {
        var force = new Option<bool>("--force", "-f") { Description = "force the removal of a running container (uses SIGKILL)" };
        var volumes = new Option<bool>("--volumes", "-v") { Description = "remove anonymous volumes associated with the container" };
        var containers = new Argument<string[]>("container") { Arity = ArgumentArity.OneOrMore };
        var command = new Command("rm", "remove one or more containers");
        command.Aliases.Add("remove");
        command.Options.Add(force);
        command.Options.Add(volumes);
        command.Arguments.Add(containers);
        command.SetAction(r => Cli.Execute(() =>
        {
            var engine = Cli.Engine(r);
            return StopCommand.Each(r.GetValue(containers)!,
                id => engine.Containers.RemoveAsync(id, r.GetValue(force)).GetAwaiter().GetResult());
        }));
        return command;
    }
}
