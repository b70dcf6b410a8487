using System.CommandLine;
using Berth.Errdefs;

namespace Berth.Cli.Commands;

/// <summary>`import [-c CHANGE]... [-m MSG] FILE|- [REPOSITORY[:TAG]]`: a root filesystem tar as a one-layer image; prints its id.</summary>
internal static class ImportCommand
{
    public static Command Build()
    {
        var change = new Option<string[]>("--change", "-c") { Description = "apply Dockerfile instruction to the created image", DefaultValueFactory = _ => [] };
        var message = new Option<string?>("--message", "-m") { Description = "set commit message for imported image" };
        var platform = new Option<string?>("--platform") { Description = "set platform if server is multi-platform capable" };
        var source = new Argument<string>("file|URL|-");
        var reference = new Argument<string?>("repository[:tag]") { Arity = ArgumentArity.ZeroOrOne };
        var command = new Command("import", "import the contents from a tarball to create a filesystem image");
        command.Options.Add(change);
        command.Options.Add(message);
        command.Options.Add(platform);
        command.Arguments.Add(source);
        command.Arguments.Add(reference);
        command.SetAction(r => Cli.ExecuteAsync(async () =>
        {
            var from = r.GetValue(source)!;
            if (from.Contains("://", StringComparison.Ordinal))
                throw BerthException.InvalidArgument($"import from `{from}`: berth does not download (no network access here); fetch the file and import it by path or from `-`");
            var service = ExtraImageVerbs.Images(r);
            await using var input = from == "-" ? Console.OpenStandardInput() : File.OpenRead(from);
            var id = await service.ImportAsync(input, r.GetValue(reference), r.GetValue(change)!, r.GetValue(message), "-").ConfigureAwait(false);
            Console.Out.WriteLine(id.ToString());
            return 0;
        }));
        return command;
    }
}
