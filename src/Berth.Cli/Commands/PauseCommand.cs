using System.CommandLine;

namespace Berth.Cli.Commands;

/// <summary>`pause` / `unpause` CONTAINER...: freeze or thaw every process of the containers.</summary>
internal static class PauseCommand
{
    public static Command Build(string name, string description)
    {
        var containers = new Argument<string[]>("container") { Arity = ArgumentArity.OneOrMore };
        var command = new Command(name, description);
        command.Arguments.Add(containers);
        command.SetAction(r => Cli.Execute(() =>
        {
            var engine = Cli.Engine(r);
            return StopCommand.Each(r.GetValue(containers)!, id =>
            {
                if (name == "pause")
                    engine.Containers.Pause(id);
                else
                    engine.Containers.Unpause(id);
            });
        }));
        return command;
    }
}
