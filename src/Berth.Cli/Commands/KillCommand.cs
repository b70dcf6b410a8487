using System.CommandLine;

namespace Berth.Cli.Commands;

/// <summary>`kill [-s SIGNAL] CONTAINER...`: signal running containers (SIGKILL by default).</summary>
internal static class KillCommand
{
    public static Command Build()
    {
        var signal = new Option<string>("--signal", "-s") { Description = "signal to send to the container", DefaultValueFactory = _ => "KILL" };
        var containers = new Argument<string[]>("container") { Arity = ArgumentArity.OneOrMore };
        var command = new Command("kill", "kill one or more running containers");
        command.Options.Add(signal);
        command.Arguments.Add(containers);
        command.SetAction(r => Cli.Execute(() =>
        {
            var engine = Cli.Engine(r);
            var sig = r.GetValue(signal)!;
            Berth.Linux.Signals.Parse(sig);
            return StopCommand.Each(r.GetValue(containers)!, id => engine.Containers.Kill(id, sig));
        }));
        return command;
    }
}
