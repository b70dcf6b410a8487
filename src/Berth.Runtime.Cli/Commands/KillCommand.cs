using System.CommandLine;
using Berth.Linux;

namespace Berth.Runtime.Cli.Commands;

/// <summary>`kill`: send a signal (default SIGTERM) to the init, or with --all to every process.</summary>
internal static class KillCommand
{
    private static readonly Argument<string> Id = new("container-id");
    private static readonly Argument<string> Signal = new("signal") { Arity = ArgumentArity.ZeroOrOne, DefaultValueFactory = _ => "SIGTERM" };
    private static readonly Option<bool> All = new("--all", "-a") { Description = "send the signal to all processes in the container" };

    public static Command Build()
    {
        var command = new Command("kill", "send a signal to the container's init process");
        command.Arguments.Add(Id);
        command.Arguments.Add(Signal);
        command.Options.Add(All);
        command.SetAction(result => Cli.Execute(result, () =>
        {
            Cli.Runtime(result).Kill(result.GetValue(Id)!, Signals.Parse(result.GetValue(Signal)!), result.GetValue(All));
            return 0;
        }));
        return command;
    }
}
