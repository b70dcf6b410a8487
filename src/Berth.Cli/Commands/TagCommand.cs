using System.CommandLine;

namespace Berth.Cli.Commands;

/// <summary>`tag SOURCE_IMAGE[:TAG] TARGET_IMAGE[:TAG]`: another name for an image.</summary>
internal static class TagCommand
{
    public static Command Build()
    {
        var source = new Argument<string>("source");
        var target = new Argument<string>("target");
        var command = new Command("tag", "create a tag TARGET_IMAGE that refers to SOURCE_IMAGE");
        command.Arguments.Add(source);
        command.Arguments.Add(target);
        command.SetAction(r => ExtraImageVerbs.Docker(() =>
        {
            ExtraImageVerbs.Images(r).TagAsync(r.GetValue(source)!, r.GetValue(target)!).GetAwaiter().GetResult();
            return 0;
        }));
        return command;
    }
}
