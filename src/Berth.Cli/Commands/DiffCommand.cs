using System.CommandLine;

namespace Berth.Cli.Commands;

/// <summary>`diff CONTAINER`: files added (A), changed (C) and deleted (D) in the container's filesystem.</summary>
internal static class DiffCommand
{
    public static Command Build()
    {
        var container = new Argument<string>("container");
        var command = new Command("diff", "inspect changes to files or directories on a container's filesystem");
        command.Arguments.Add(container);
        command.SetAction(r => Cli.Execute(() =>
        {
            foreach (var (kind, path) in Cli.Engine(r).Containers.Diff(r.GetValue(container)!))
                Console.Out.WriteLine($"{kind} {path}");
            return 0;
        }));
        return command;
    }
}
