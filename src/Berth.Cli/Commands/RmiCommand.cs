using System.CommandLine;
using Berth.Errdefs;

namespace Berth.Cli.Commands;

/// <summary>`rmi` / `image rm [-f] [--no-prune] IMAGE...`: untag, and delete an image with its last reference (docker's rules).</summary>
internal static class RmiCommand
{
    public static Command Build(string name)
    {
        var force = new Option<bool>("--force", "-f") { Description = "force removal of the image" };
        var noPrune = new Option<bool>("--no-prune") { Description = "do not delete untagged parents" };
        var images = new Argument<string[]>("image") { Arity = ArgumentArity.OneOrMore };
        var command = new Command(name, "remove one or more images");
        if (name == "rm")
            command.Aliases.Add("remove");
        command.Options.Add(force);
        command.Options.Add(noPrune);
        command.Arguments.Add(images);
        command.SetAction(r => Cli.Execute(() =>
        {
            var service = ExtraImageVerbs.Images(r);
            var failed = false;
            foreach (var image in r.GetValue(images)!)
            {
                try
                {
                    var records = service.RemoveAsync(image, r.GetValue(force), prune: !r.GetValue(noPrune)).GetAwaiter().GetResult();
                    foreach (var (kind, value) in records)
                        Console.Out.WriteLine($"{kind}: {value}");
                }
                catch (BerthException e)
                {
                    Console.Error.WriteLine($"Error response from daemon: {e.Message}");
                    failed = true;
                }
            }
            return failed ? 1 : 0;
        }));
        return command;
    }
}
