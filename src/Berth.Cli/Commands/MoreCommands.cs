using System.CommandLine;

namespace Berth.Cli.Commands;

/// <summary>The rest of the verbs (logs, exec, inspect, image verbs, …), one file each.</summary>
internal static class MoreCommands
{
    public static IEnumerable<Command> ContainerVerbs()
    {
        yield break;
    }

    public static IEnumerable<Command> ImageVerbs(bool topLevel)
    {
        _ = topLevel;
        yield break;
    }
}
