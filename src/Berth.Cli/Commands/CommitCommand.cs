using System.CommandLine;
using Berth.Engine.Images;

namespace Berth.Cli.Commands;

/// <summary>`commit [-a AUTHOR] [-m MSG] [-c CHANGE]... [-p] CONTAINER [REPOSITORY[:TAG]]`: a container's changes as a new image; prints its id.</summary>
internal static class CommitCommand
{
    public static Command Build()
    {
        var author = new Option<string?>("--author", "-a") { Description = "author (e.g., \"John Hannibal Smith <hannibal@a-team.com>\")" };
        var message = new Option<string?>("--message", "-m") { Description = "commit message" };
        var change = new Option<string[]>("--change", "-c") { Description = "apply Dockerfile instruction to the created image", DefaultValueFactory = _ => [] };
        var pause = new Option<bool>("--pause", "-p") { Description = "pause container during commit", DefaultValueFactory = _ => true };
        var container = new Argument<string>("container");
        var reference = new Argument<string?>("repository[:tag]") { Arity = ArgumentArity.ZeroOrOne };
        var command = new Command("commit", "create a new image from a container's changes");
        foreach (var option in new Option[] { author, message, change, pause })
            command.Options.Add(option);
        command.Arguments.Add(container);
        command.Arguments.Add(reference);
        command.SetAction(r => Cli.ExecuteAsync(async () =>
        {
            var id = await ExtraImageVerbs.Images(r).CommitAsync(r.GetValue(container)!, new CommitOptions
            {
                Author = r.GetValue(author),
                Message = r.GetValue(message),
                Changes = r.GetValue(change)!,
                Pause = r.GetValue(pause),
                Reference = r.GetValue(reference),
            }).ConfigureAwait(false);
            Console.Out.WriteLine(id.ToString());
            return 0;
        }));
        return command;
    }
}
