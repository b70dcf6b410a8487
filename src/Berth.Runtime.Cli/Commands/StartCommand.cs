using System.CommandLine;

namespace Berth.Runtime.Cli.Commands;

/// <summary>`start`: run the user process of a created container.</summary>
internal static class StartCommand
{
    private static readonly Argument<string> Id = new("container-id");

    public static Command Build()
    {
        var command = new Command("start", "execute the user process in a created container");
        command.Arguments.Add(Id);
        command.SetAction(result => Cli.Execute(result, () =>
        {
            Cli.Runtime(result).Start(result.GetValue(Id)!);
            return 0;
        }));
        return command;
    }
}
