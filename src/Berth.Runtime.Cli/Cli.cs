using System.CommandLine;
using Berth.Errdefs;
using Berth.Runtime.Cli.Commands;
using Berth.Runtime.Lifecycle;

namespace Berth.Runtime.Cli;

/// <summary>
/// berth-runtime's command line, runc's contract: global options first, then one verb per file
/// under Commands/. Errors print one line on stderr (and in --log) and exit 1.
/// </summary>
internal static class Cli
{
    public const string Version = "0.1.0";
    public static readonly string VersionText = $"berth-runtime version {Version}\nspec: {Oci.Runtime.SpecVersion.Current}\n";

    public static readonly Option<string> Root = new("--root")
    {
        Description = "root directory for storage of container state",
        DefaultValueFactory = _ => RuntimeOptions.DefaultRoot,
        Recursive = true,
    };

    public static readonly Option<string?> Log = new("--log") { Description = "log file (default stderr)", Recursive = true };
    public static readonly Option<string> LogFormat = new("--log-format") { Description = "text or json", DefaultValueFactory = _ => "text", Recursive = true };
    public static readonly Option<bool> Debug = new("--debug") { Description = "enable debug logging", Recursive = true };
    public static readonly Option<bool> SystemdCgroup = new("--systemd-cgroup") { Description = "cgroupsPath is slice:prefix:name", Recursive = true };
    public static readonly Option<string?> Criu = new("--criu") { Hidden = true, Recursive = true };
    public static readonly Option<string?> Rootless = new("--rootless") { Hidden = true, Recursive = true };

    public static RootCommand Build()
    {
        var root = new RootCommand("berth-runtime: run containers from OCI bundles (runc-compatible)");
        foreach (var option in new Option[] { Root, Log, LogFormat, Debug, SystemdCgroup, Criu, Rootless })
            root.Options.Add(option);
        root.Subcommands.Add(CreateCommand.Build());
        root.Subcommands.Add(StartCommand.Build());
        root.Subcommands.Add(RunCommand.Build());
        root.Subcommands.Add(StateCommand.Build());
        root.Subcommands.Add(KillCommand.Build());
        root.Subcommands.Add(DeleteCommand.Build());
        root.Subcommands.Add(ExecCommand.Build());
        root.Subcommands.Add(ListCommand.Build());
        root.Subcommands.Add(PsCommand.Build());
        root.Subcommands.Add(PauseCommand.Build("pause", "suspend all processes in the container", (r, id) => r.Pause(id)));
        root.Subcommands.Add(PauseCommand.Build("resume", "resume all processes in the container", (r, id) => r.Resume(id)));
        root.Subcommands.Add(UpdateCommand.Build());
        root.Subcommands.Add(EventsCommand.Build());
        root.Subcommands.Add(SpecCommand.Build());
        root.Subcommands.Add(FeaturesCommand.Build());
        return root;
    }

    public static ContainerRuntime Runtime(ParseResult result) => new(new RuntimeOptions
    {
        Root = result.GetValue(Root)!,
        Warnings = Console.Error,
    });

    /// <summary>Runs a verb, turning a BerthException into runc's error report and exit 1.</summary>
    public static int Execute(ParseResult result, Func<int> action)
    {
        try
        {
            return action();
        }
        catch (BerthException e)
        {
            Report(result, e.Message);
            return 1;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidOperationException)
        {
            Report(result, e.Message);
            return 1;
        }
    }

    private static void Report(ParseResult result, string message)
    {
        Console.Error.WriteLine($"berth-runtime: {message}");
        if (result.GetValue(Log) is not { Length: > 0 } log)
            return;
        try
        {
            var time = DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHH:mm:ss.fffffffZ", System.Globalization.CultureInfo.InvariantCulture);
            var line = result.GetValue(LogFormat) == "json"
                ? $"{{\"level\":\"error\",\"msg\":{System.Text.Json.JsonSerializer.Serialize(message, CliJsonContext.Default.String)},\"time\":\"{time}\"}}\n"
                : $"time=\"{time}\" level=error msg=\"{message.Replace("\"", "\\\"", StringComparison.Ordinal)}\"\n";
            File.AppendAllText(log, line);
        }
        catch (IOException)
        {
            // The log is best effort; the message is already on stderr.
        }
    }

    /// <summary>
    /// Go's flag parsing stops at the first positional argument, so in `exec ID CMD -c x` and
    /// `ps ID -ef` everything after the container id belongs to the command: mark it with "--".
    /// </summary>
    public static string[] PrepareArgs(string[] args)
    {
        var verb = Array.FindIndex(args, a => a is "exec" or "ps");
        if (verb < 0 || Array.IndexOf(args, "--") >= 0)
            return args;
        var takesValue = args[verb] == "exec" ? ExecCommand.OptionsWithValues : PsCommand.OptionsWithValues;
        for (var i = verb + 1; i < args.Length; i++)
        {
            var a = args[i];
            if (a.StartsWith('-'))
            {
                if (!a.Contains('=') && takesValue.Contains(a))
                    i++;
                continue;
            }
            // args[i] is the container id: the rest is the command.
            return i + 1 < args.Length ? [.. args[..(i + 1)], "--", .. args[(i + 1)..]] : args;
        }
        return args;
    }
}
