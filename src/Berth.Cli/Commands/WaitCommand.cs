using System.CommandLine;
using System.Globalization;
using Berth.Errdefs;

namespace Berth.Cli.Commands;

/// <summary>`wait CONTAINER...`: blocks until each container stops and prints its exit code; exit 1 if any failed.</summary>
internal static class WaitCommand
{
    public static Command Build()
    {
        var containers = new Argument<string[]>("container") { Arity = ArgumentArity.OneOrMore };
        var command = new Command("wait", "block until one or more containers stop, then print their exit codes");
        command.Arguments.Add(containers);
        command.SetAction(r => Cli.Execute(() =>
        {
            var engine = Cli.Engine(r);
            var failed = false;
            foreach (var name in r.GetValue(containers)!)
            {
                try
                {
                    var code = engine.Containers.WaitAsync(name).GetAwaiter().GetResult();
                    Console.Out.WriteLine(code.ToString(CultureInfo.InvariantCulture));
                }
                catch (BerthException e)
                {
                    Console.Error.WriteLine($"Error: {e.Message}");
                    failed = true;
                }
            }
            return failed ? 1 : 0;
        }));
        return command;
    }
}
