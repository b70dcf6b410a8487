using System.CommandLine;

namespace Berth.Cli.Commands;

/// <summary>`container cleanup ID` (hidden): what a monitor runs after its container's final exit.</summary>
internal static class CleanupCommand
{
    public static Command Build()
    {
        var id = new Argument<string>("container");
        var command = new Command("cleanup", "release a stopped container's resources (run by its monitor)") { Hidden = true };
        command.Arguments.Add(id);
        command.SetAction(r => Cli.ExecuteAsync(async () =>
        {
            await Cli.Engine(r).Containers.CleanupAsync(r.GetValue(id)!).ConfigureAwait(false);
            return 0;
        }));
        return command;
    }
}
