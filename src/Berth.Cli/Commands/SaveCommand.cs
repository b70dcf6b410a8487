using System.CommandLine;
using Berth.Errdefs;

namespace Berth.Cli.Commands;

/// <summary>`save [-o FILE] [--format docker|oci] IMAGE...`: a docker archive (default) or an OCI archive, to a file or a redirected stdout.</summary>
internal static class SaveCommand
{
    public static Command Build()
    {
        var output = new Option<string?>("--output", "-o") { Description = "write to a file, instead of STDOUT" };
        var format = new Option<string>("--format") { Description = "archive format: docker (default) or oci", DefaultValueFactory = _ => "docker" };
        var images = new Argument<string[]>("image") { Arity = ArgumentArity.OneOrMore };
        var command = new Command("save", "save one or more images to a tar archive (streamed to STDOUT by default)");
        command.Options.Add(output);
        command.Options.Add(format);
        command.Arguments.Add(images);
        command.SetAction(r => Cli.ExecuteAsync(async () =>
        {
            var kind = r.GetValue(format);
            if (kind is not ("docker" or "oci"))
                throw BerthException.InvalidArgument($"invalid --format `{kind}`: use docker or oci");
            var service = ExtraImageVerbs.Images(r);
            if (r.GetValue(output) is { } path)
            {
                var temp = path + ".berth-tmp";
                try
                {
                    await using (var file = new FileStream(temp, FileMode.Create, FileAccess.Write))
                        await service.SaveAsync(r.GetValue(images)!, kind == "oci", file).ConfigureAwait(false);
                    File.Move(temp, path, overwrite: true);
                }
                finally
                {
                    File.Delete(temp);
                }
                return 0;
            }
            if (!Console.IsOutputRedirected)
                throw BerthException.InvalidArgument("cowardly refusing to save to a terminal. Use the -o flag or redirect");
            await using var stdout = Console.OpenStandardOutput();
            await service.SaveAsync(r.GetValue(images)!, kind == "oci", stdout).ConfigureAwait(false);
            return 0;
        }));
        return command;
    }
}
