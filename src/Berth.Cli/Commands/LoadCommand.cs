using System.CommandLine;
using Berth.Engine.Images;
using Berth.Errdefs;

namespace Berth.Cli.Commands;

/// <summary>`load [-i FILE] [-q]`: images from a docker or OCI archive (told apart by its contents), from a file or stdin.</summary>
internal static class LoadCommand
{
    public static Command Build()
    {
        var input = new Option<string?>("--input", "-i") { Description = "read from tar archive file, instead of STDIN" };
        var quiet = new Option<bool>("--quiet", "-q") { Description = "suppress the load output" };
        var command = new Command("load", "load an image from a tar archive or STDIN");
        command.Options.Add(input);
        command.Options.Add(quiet);
        command.SetAction(r => Cli.ExecuteAsync(async () =>
        {
            var path = r.GetValue(input);
            if (path is null && !Console.IsInputRedirected)
                throw BerthException.InvalidArgument("requested load from stdin, but stdin is empty");
            var service = ExtraImageVerbs.Images(r);
            await using var stream = path is null ? Console.OpenStandardInput() : File.OpenRead(path);
            var loaded = await service.LoadAsync(stream).ConfigureAwait(false);
            foreach (var image in loaded)
            {
                if (image.Names.Count == 0)
                    Console.Out.WriteLine($"Loaded image ID: {image.ConfigDigest}");
                foreach (var name in image.Names)
                    Console.Out.WriteLine($"Loaded image: {ImageInspector.Familiar(name)}");
            }
            return 0;
        }));
        return command;
    }
}
