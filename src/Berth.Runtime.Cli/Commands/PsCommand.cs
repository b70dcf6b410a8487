using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Berth.Errdefs;

namespace Berth.Runtime.Cli.Commands;

/// <summary>`ps`: the container's processes, from `ps` filtered by the cgroup's pids, or as JSON.</summary>
internal static class PsCommand
{
    public static readonly HashSet<string> OptionsWithValues = ["--format", "-f", "--root", "--log", "--log-format"];

    private static readonly Argument<string> Id = new("container-id");
    private static readonly Argument<string[]> PsArgs = new("ps-options") { Arity = ArgumentArity.ZeroOrMore };
    private static readonly Option<string> Format = new("--format", "-f") { DefaultValueFactory = _ => "table" };

    public static Command Build()
    {
        var command = new Command("ps", "display the processes running inside a container");
        command.Arguments.Add(Id);
        command.Arguments.Add(PsArgs);
        command.Options.Add(Format);
        command.SetAction(result => Cli.Execute(result, () =>
        {
            var pids = Cli.Runtime(result).Pids(result.GetValue(Id)!);
            if (result.GetValue(Format) == "json")
            {
                Console.Out.WriteLine(JsonSerializer.Serialize(pids.ToArray(), CliJsonContext.Default.Int32Array));
                return 0;
            }
            var psArgs = result.GetValue(PsArgs) is { Length: > 0 } a ? a : ["-ef"];
            var output = RunPs(psArgs);
            var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            if (lines.Length == 0)
                return 0;
            var pidColumn = Array.IndexOf(lines[0].Split(' ', StringSplitOptions.RemoveEmptyEntries), "PID");
            if (pidColumn < 0)
                throw BerthException.InvalidArgument("ps output has no PID column");
            Console.Out.WriteLine(lines[0]);
            var set = pids.ToHashSet();
            foreach (var line in lines.Skip(1))
            {
                var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (fields.Length > pidColumn && int.TryParse(fields[pidColumn], NumberStyles.None, CultureInfo.InvariantCulture, out var pid) && set.Contains(pid))
                    Console.Out.WriteLine(line);
            }
            return 0;
        }));
        return command;
    }

    private static string RunPs(string[] args)
    {
        var info = new System.Diagnostics.ProcessStartInfo("ps") { RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var arg in args)
            info.ArgumentList.Add(arg);
        using var ps = System.Diagnostics.Process.Start(info) ?? throw BerthException.Internal("cannot start ps");
        var output = ps.StandardOutput.ReadToEnd();
        ps.WaitForExit();
        if (ps.ExitCode != 0)
            throw BerthException.Internal($"ps exited with status {ps.ExitCode}");
        return output;
    }
}
