using System.CommandLine;
using Berth.Errdefs;

namespace Berth.Cli.Commands;

/// <summary>`rename CONTAINER NEW_NAME`: docker allows it in any state; prints nothing.</summary>
internal static class RenameCommand
{
    public static Command Build()
    {
        var container = new Argument<string>("container");
        var newName = new Argument<string>("new-name");
        var command = new Command("rename", "rename a container");
        command.Arguments.Add(container);
        command.Arguments.Add(newName);
        command.SetAction(r => Cli.Execute(() =>
        {
            var old = r.GetValue(container)!.Trim();
            var name = r.GetValue(newName)!.Trim();
            if (old.Length == 0 || name.Length == 0)
                throw BerthException.InvalidArgument("Neither old nor new names may be empty");
            Cli.Engine(r).Containers.Rename(old, name);
            return 0;
        }));
        return command;
    }
}
