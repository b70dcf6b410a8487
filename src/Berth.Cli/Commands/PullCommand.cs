using System.CommandLine;
using Berth.Cli.Transfers;
using Berth.Engine.Images;
using Berth.Oci.Image;
using Berth.Oci.References;
using Berth.Errdefs;

namespace Berth.Cli.Commands;

/// <summary>`pull [--platform os/arch[/variant]] [-q] NAME[:TAG|@DIGEST]`: an image from a registry, with docker's output.</summary>
internal static class PullCommand
{
    public static Command Build()
    {
        var name = new Argument<string>("name") { Description = "NAME[:TAG|@DIGEST]" };
        var platform = new Option<string?>("--platform") { Description = "set platform if server is multi-platform capable (os/arch[/variant])" };
        var quiet = new Option<bool>("--quiet", "-q") { Description = "suppress verbose output" };
        var allTags = new Option<bool>("--all-tags", "-a") { Description = "download all tagged images in the repository" };
        var progress = new Option<string?>("--progress") { Description = "progress output: auto, plain, tty, quiet" };
        var command = new Command("pull", "download an image from a registry");
        command.Arguments.Add(name);
        command.Options.Add(platform);
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
                var results = service.PullAllTagsAsync(r.GetValue(name)!, ParsePlatform(r.GetValue(platform)), display).GetAwaiter().GetResult();
                var repository = ImageService.ParsePullReference(r.GetValue(name)!).WithNameOnly();
                if (!r.GetValue(quiet))
                    display.Status(results.Any(x => x.Updated) ? $"Status: Downloaded newer image for {repository.Familiar}" : $"Status: Image is up to date for {repository.Familiar}");
                Console.Out.WriteLine(repository.ToString());
                return 0;
            }
            Pull(service, r.GetValue(name)!, ParsePlatform(r.GetValue(platform)), r.GetValue(quiet), display);
            return 0;
        }, daemon: true));
        return command;
    }

    /// <summary>Pulls and prints docker's closing lines ("Status: …" then the full name; only the name with -q).</summary>
    public static PullResult Pull(ImageService service, string text, Platform? platform, bool quiet, Engine.Distribution.ITransferProgress display)
    {
        var reference = ImageService.ParsePullReference(text);
        if (!quiet && Reference.TryParse(text, out var given) && given.IsNameOnly)
            Console.Out.WriteLine("Using default tag: latest");
        var result = service.PullAsync(text, platform, display).GetAwaiter().GetResult();
        if (!quiet)
        {
            var familiar = reference.Familiar;
            display.Status(result.Updated ? $"Status: Downloaded newer image for {familiar}" : $"Status: Image is up to date for {familiar}");
        }
        Console.Out.WriteLine(reference.ToString());
        return result;
    }

    /// <summary>os/arch[/variant], as docker's --platform; null when not given.</summary>
    public static Platform? ParsePlatform(string? text)
    {
        if (string.IsNullOrEmpty(text))
            return null;
        var parts = text.Split('/');
        if (parts.Length is < 2 or > 3 || parts.Any(string.IsNullOrEmpty))
            throw BerthException.InvalidArgument($"\"{text}\": unknown operating system or architecture: invalid argument");
        return new Platform { Os = parts[0], Architecture = parts[1], Variant = parts.Length == 3 ? parts[2] : null }.Normalize();
    }
}
