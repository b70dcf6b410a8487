using System.CommandLine;

namespace Berth.Cli.Commands;

/// <summary>Container verbs beyond the lifecycle: inspect, logs, exec, attach, wait, top, stats, port, rename.</summary>
internal static class ExtraContainerVerbs
{
    public static IEnumerable<Command> All()
    {
        yield return InspectCommand.Build();
        yield return LogsCommand.Build();
        yield return ExecCommand.Build();
        yield return AttachCommand.Build();
        yield return WaitCommand.Build();
        yield return TopCommand.Build();
        yield return StatsCommand.Build();
        yield return PortCommand.Build();
        yield return RenameCommand.Build();
    }
}
