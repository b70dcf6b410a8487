using System.CommandLine;
using Berth.Errdefs;

namespace Berth.Cli.Commands;

/// <summary>`start [-a] [-i] CONTAINER...`: start stopped containers; -a attaches to one and exits with its status.</summary>
internal static class StartCommand
{
    public static Command Build()
    {
        var attach = new Option<bool>("--attach", "-a") { Description = "attach STDOUT/STDERR and forward signals" };
        var interactive = new Option<bool>("--interactive", "-i") { Description = "attach container's STDIN" };
        var containers = new Argument<string[]>("container") { Arity = ArgumentArity.OneOrMore };
        var command = new Command("start", "start one or more stopped containers");
        command.Options.Add(attach);
        command.Options.Add(interactive);
        command.Arguments.Add(containers);
        command.SetAction(r => Cli.ExecuteAsync(async () =>
        {
            var engine = Cli.Engine(r);
            var names = r.GetValue(containers)!;
            if (r.GetValue(attach) || r.GetValue(interactive))
            {
                if (names.Length > 1)
                    throw BerthException.InvalidArgument("you cannot start and attach multiple containers at once");
                var record = engine.Containers.Store.Resolve(names[0]);
                return await RunCommand.RunAttachedAsync(engine.Containers, record, sigProxy: true).ConfigureAwait(false);
            }
            var failed = false;
            foreach (var name in names)
            {
                try
                {
                    await engine.Containers.StartAsync(name).ConfigureAwait(false);
                    Console.Out.WriteLine(name);
                }
                catch (BerthException e)
                {
                    Console.Error.WriteLine($"Error: {e.Message}");
                    failed = true;
                }
            }
            if (failed)
                Console.Error.WriteLine("Error: failed to start containers: " + string.Join(", ", names));
            return failed ? 1 : 0;
        }, 125));
        return command;
    }
}
