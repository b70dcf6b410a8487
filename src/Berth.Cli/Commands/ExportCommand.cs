using System.CommandLine;
using Berth.Errdefs;

namespace Berth.Cli.Commands;

/// <summary>`export [-o FILE] CONTAINER`: the container's filesystem as a tar, to a file or a redirected stdout.</summary>
internal static class ExportCommand
{
    public static Command Build()
    {
        var output = new Option<string?>("--output", "-o") { Description = "write to a file, instead of STDOUT" };
        var container = new Argument<string>("container");
        var command = new Command("export", "export a container's filesystem as a tar archive");
        command.Options.Add(output);
        command.Arguments.Add(container);
        command.SetAction(r => Cli.ExecuteAsync(async () =>
        {
            var containers = Cli.Engine(r).Containers;
            if (r.GetValue(output) is { } path)
            {
                await using var file = new FileStream(path, FileMode.Create, FileAccess.Write);
                await containers.ExportAsync(r.GetValue(container)!, file).ConfigureAwait(false);
                return 0;
            }
            if (!Console.IsOutputRedirected)
                throw BerthException.InvalidArgument("cowardly refusing to save to a terminal. Use the -o flag or redirect");
            await using var stdout = Console.OpenStandardOutput();
            await containers.ExportAsync(r.GetValue(container)!, stdout).ConfigureAwait(false);
            return 0;
        }));
        return command;
    }
}
