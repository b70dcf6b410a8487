using System.CommandLine;

namespace Berth.Cli.Commands;

/// <summary>Container verbs beyond the lifecycle: inspect, logs, exec, attach, wait, top, stats, port, rename, …</summary>
internal static class ExtraContainerVerbs
{
    public static IEnumerable<Command> All()
    {
        yield break;
    }
}
