using System.CommandLine;
using Berth.Cli.Transfers;
using Berth.Engine.Images;
using Berth.Errdefs;

namespace Berth.Cli.Commands;

/// <summary>`push [-q] NAME[:TAG]`: an image to a registry, with docker's output.</summary>
internal static class PushCommand
{
    public static Command Build()
    {
        var name = new Argument<string>("name") { Description = "NAME[:TAG]" };
        var quiet = new Option<bool>("--quiet", "-q") { Description = "suppress verbose output" };
        var allTags = new Option<bool>("--all-tags", "-a") { Description = "push all tags of an image to the repository" };
        var progress = new Option<string?>("--progress") { Description = "progress output: auto, plain, tty, quiet" };
        var command = new Command("push", "upload an image to a registry");
        command.Arguments.Add(name);
        command.Options.Add(quiet);
        command.Options.Add(allTags);
        command.Options.Add(progress);
        // A reference that does not parse is the client's own error in docker: no "Error response from daemon".
        command.SetAction(r => ExtraImageVerbs.Docker(() => { ImageService.ParsePullReference(r.GetValue(name)!); return 0; }) is not 0 ? 1 : ExtraImageVerbs.Docker(() =>
        {
            var service = ExtraImageVerbs.Images(r);
            var display = TransferDisplay.Create(r.GetValue(progress), r.GetValue(quiet));
            if (r.GetValue(allTags))
            {
                foreach (var pushed in service.PushAllTagsAsync(r.GetValue(name)!, display).GetAwaiter().GetResult())
                {
                    if (r.GetValue(quiet))
                        Console.Out.WriteLine(pushed.Reference.ToString());
                }
                return 0;
            }
            if (!r.GetValue(quiet) && Berth.Oci.References.Reference.TryParse(r.GetValue(name), out var given) && given.IsNameOnly)
                Console.Out.WriteLine("Using default tag: latest");
            PushResult result;
            try
            {
                result = service.PushAsync(r.GetValue(name)!, display).GetAwaiter().GetResult();
            }
            catch (BerthException e) when (e.Message.EndsWith(": no basic auth credentials", StringComparison.Ordinal))
            {
                // docker's push stream carries only the cause.
                throw new BerthException(e.Kind, "no basic auth credentials", e);
            }
            if (r.GetValue(quiet))
                Console.Out.WriteLine(result.Reference.ToString());
            return 0;
        }));
        return command;
    }
}
