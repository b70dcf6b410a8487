using System.CommandLine;
using System.Text.Encodings.Web;
using System.Text.Json;
using Berth.Engine.Images;
using Berth.Errdefs;

namespace Berth.Cli.Commands;

/// <summary>Image verbs: inspect, history, tag, rmi, prune, import, save, load, commit; topLevel picks docker's top-level names (rmi) or the `image` group's (rm).</summary>
internal static class ExtraImageVerbs
{
    public static IEnumerable<Command> All(bool topLevel)
    {
        if (!topLevel)
        {
            yield return ImageInspectCommand.Build();
            yield return ImagePruneCommand.Build();
        }
        yield return HistoryCommand.Build();
        yield return TagCommand.Build();
        yield return RmiCommand.Build(topLevel ? "rmi" : "rm");
        yield return ImportCommand.Build();
        yield return SaveCommand.Build();
        yield return LoadCommand.Build();
        if (topLevel)
            yield return CommitCommand.Build();
    }

    /// <summary>The image service of this command's engine.</summary>
    public static ImageService Images(ParseResult result) => ImageService.Of(Cli.Engine(result));

    /// <summary>docker's JSON for inspect: 4-space indent, no HTML escaping.</summary>
    public static JsonWriterOptions InspectJson { get; } = new() { Indented = true, IndentSize = 4, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>
    /// Runs an action whose errors docker prints without "Error: " (client-side messages that
    /// carry their own wording), or, with <paramref name="daemon"/>, as "Error response from daemon: …".
    /// </summary>
    public static int Docker(Func<int> action, bool daemon = false)
    {
        try
        {
            return action();
        }
        catch (BerthException e)
        {
            Console.Error.WriteLine(daemon ? $"Error response from daemon: {e.Message}" : e.Message);
            return 1;
        }
        catch (AggregateException e) when (e.InnerException is BerthException inner)
        {
            Console.Error.WriteLine(daemon ? $"Error response from daemon: {inner.Message}" : inner.Message);
            return 1;
        }
    }

    /// <summary>docker prune's "Are you sure you want to continue? [y/N]" on stdin.</summary>
    public static bool Confirm(string warning)
    {
        Console.Out.Write($"{warning}\nAre you sure you want to continue? [y/N] ");
        Console.Out.Flush();
        var answer = Console.In.ReadLine()?.Trim();
        return answer is "y" or "Y" or "yes" or "YES" or "Yes";
    }
}
