using System.CommandLine;

namespace Berth.Cli.Commands;

/// <summary>`rm [-f] [-v] CONTAINER...`: remove containers (several at once); a running one only with -f.</summary>
internal static class RmCommand
{
    public static Command Build()
    {
        var force = new Option<bool>("--force", "-f") { Description = "force the removal of a running container (uses SIGKILL)" };
        var volumes = new Option<bool>("--volumes", "-v") { Description = "remove anonymous volumes associated with the container" };
        var containers = new Argument<string[]>("container") { Arity = ArgumentArity.OneOrMore };
        var command = new Command("rm", "remove one or more containers");
        command.Aliases.Add("remove");
        command.Options.Add(force);
        command.Options.Add(volumes);
        command.Arguments.Add(containers);
        command.SetAction(r => Cli.Execute(() =>
        {
            var engine = Cli.Engine(r);
            var names = r.GetValue(containers)!;
            // Removed side by side, as docker's CLI does (each under its own container's lock);
            // reported in the order given.
            var errors = new string?[names.Length];
            Parallel.For(0, names.Length, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i =>
            {
                try
                {
                    engine.Containers.RemoveAsync(names[i], r.GetValue(force)).GetAwaiter().GetResult();
                }
                catch (Errdefs.BerthException e)
                {
                    errors[i] = e.Message;
                }
            });
            for (var i = 0; i < names.Length; i++)
            {
                if (errors[i] is { } error)
                    Console.Error.WriteLine($"Error: {error}");
                else
                    Console.Out.WriteLine(names[i]);
            }
            return errors.Any(e => e is not null) ? 1 : 0;
        }));
        return command;
    }
}
