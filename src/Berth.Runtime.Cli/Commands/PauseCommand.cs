using System.CommandLine;
using Berth.Runtime.Lifecycle;

namespace Berth.Runtime.Cli.Commands;

/// <summary>`pause` and `resume`: freeze and thaw the container's cgroup.</summary>
internal static class PauseCommand
{
    public static Command Build(string name, string description, Action<ContainerRuntime, string> act)
    {
        var id = new Argument<string>("container-id");
        var command = new Command(name, description);
        command.Arguments.Add(id);
        command.SetAction(result => Cli.Execute(result, () =>
        {
            act(Cli.Runtime(result), result.GetValue(id)!);
            return 0;
        }));
        return command;
    }
}
