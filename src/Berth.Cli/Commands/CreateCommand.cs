using System.CommandLine;

namespace Berth.Cli.Commands;

/// <summary>`create`: make a container from an image without starting it; prints its id.</summary>
internal static class CreateCommand
{
    public static Command Build()
    {
        var flags = new ContainerFlags();
        var command = new Command("create", "create a new container");
        flags.AddTo(command);
        command.SetAction(r => Cli.ExecuteAsync(async () =>
        {
            var engine = Cli.Engine(r);
            var request = flags.ToRequest(r, attachStdio: false);
            await Transfers.ImagePulling.EnsureAsync(engine, request.Config.Image, r.GetValue(flags.Pull), r.GetValue(flags.Platform)).ConfigureAwait(false);
            var record = await engine.Containers.CreateAsync(request).ConfigureAwait(false);
            RunCommand.WriteCidFile(request.HostConfig, record.Id);
            Console.Out.WriteLine(record.Id);
            return 0;
        }, 125));
        return command;
    }
}
