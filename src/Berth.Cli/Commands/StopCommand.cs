using System.CommandLine;

namespace Berth.Cli.Commands;

/// <summary>`stop` and `restart` [-t N] [-s SIGNAL] CONTAINER...: docker's stop signal, then SIGKILL after the timeout.</summary>
internal static class StopCommand
{
    public static Command Build(string name, string description)
    {
        var time = new Option<int?>("--timeout", "-t", "--time") { Description = "seconds to wait before killing the container" };
        var signal = new Option<string?>("--signal", "-s") { Description = "signal to send to the container" };
        var containers = new Argument<string[]>("container") { Arity = ArgumentArity.OneOrMore };
        var command = new Command(name, description);
        command.Options.Add(time);
        command.Options.Add(signal);
        command.Arguments.Add(containers);
        command.SetAction(r => Cli.Execute(() =>
        {
            var engine = Cli.Engine(r);
            return Each(r.GetValue(containers)!, id =>
            {
                if (name == "stop")
                    engine.Containers.StopAsync(id, r.GetValue(time), r.GetValue(signal)).GetAwaiter().GetResult();
                else
                    engine.Containers.RestartAsync(id, r.GetValue(time), r.GetValue(signal)).GetAwaiter().GetResult();
            });
        }));
        return command;
    }

    /// <summary>Docker's multi-container verbs: print each name that worked, report each failure, exit 1 if any failed.</summary>
    public static int Each(IEnumerable<string> names, Action<string> action)
    {
        var failed = false;
        foreach (var name in names)
        {
            try
            {
                action(name);
                Console.Out.WriteLine(name);
            }
            catch (Errdefs.BerthException e)
            {
                Console.Error.WriteLine($"Error: {e.Message}");
                failed = true;
            }
        }
        return failed ? 1 : 0;
    }
}
