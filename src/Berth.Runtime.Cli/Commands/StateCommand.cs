using System.CommandLine;
using System.Text.Json;
using Berth.Oci.Runtime;

namespace Berth.Runtime.Cli.Commands;

/// <summary>`state`: print the OCI state of a container as JSON.</summary>
internal static class StateCommand
{
    private static readonly Argument<string> Id = new("container-id");

    public static Command Build()
    {
        var command = new Command("state", "output the state of a container");
        command.Arguments.Add(Id);
        command.SetAction(result => Cli.Execute(result, () =>
        {
            var state = Cli.Runtime(result).GetState(result.GetValue(Id)!);
            Console.Out.WriteLine(JsonSerializer.Serialize(state, RuntimeJsonContext.Default.State));
            return 0;
        }));
        return command;
    }
}
