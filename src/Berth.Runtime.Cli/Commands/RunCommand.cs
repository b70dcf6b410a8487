using System.CommandLine;

namespace Berth.Runtime.Cli.Commands;

/// <summary>`run`: create and start; in the foreground, wait and delete, exiting with the process's status.</summary>
internal static class RunCommand
{
    private static readonly Option<bool> Detach = new("--detach", "-d") { Description = "detach from the container's process" };
    private static readonly Option<bool> Keep = new("--keep") { Description = "do not delete the container after it exits" };

    public static Command Build()
    {
        var command = new Command("run", "create and run a container");
        CreateCommand.AddCreateOptions(command);
        command.Options.Add(Detach);
        command.Options.Add(Keep);
        command.SetAction(result => Cli.Execute(result, () =>
            Cli.Runtime(result).Run(result.GetValue(CreateCommand.Id)!, CreateCommand.Options(result), result.GetValue(Detach), result.GetValue(Keep))));
        return command;
    }
}
