using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Berth.Errdefs;
using Berth.Oci.Runtime;
using Berth.Runtime.Lifecycle;

namespace Berth.Runtime.Cli.Commands;

/// <summary>`exec`: run another process in a container, from --process FILE or from the command line.</summary>
internal static class ExecCommand
{
    public static readonly HashSet<string> OptionsWithValues =
    [
        "--console-socket", "--cwd", "--env", "-e", "--user", "-u", "--additional-gids", "-g", "--process", "-p",
        "--pid-file", "--process-label", "--apparmor", "--cap", "-c", "--preserve-fds", "--cgroup",
        "--root", "--log", "--log-format",
    ];

    private static readonly Argument<string> Id = new("container-id");
    private static readonly Argument<string[]> CommandArgs = new("command") { Arity = ArgumentArity.ZeroOrMore };
    private static readonly Option<string?> ConsoleSocket = new("--console-socket");
    private static readonly Option<string?> Cwd = new("--cwd");
    private static readonly Option<string[]> Env = new("--env", "-e") { AllowMultipleArgumentsPerToken = false };
    private static readonly Option<bool> Tty = new("--tty", "-t");
    private static readonly Option<string?> User = new("--user", "-u");
    private static readonly Option<string[]> AdditionalGids = new("--additional-gids", "-g");
    private static readonly Option<string?> ProcessFile = new("--process", "-p");
    private static readonly Option<bool> Detach = new("--detach", "-d");
    private static readonly Option<string?> PidFile = new("--pid-file");
    private static readonly Option<string?> ProcessLabel = new("--process-label");
    private static readonly Option<string?> Apparmor = new("--apparmor");
    private static readonly Option<bool> NoNewPrivs = new("--no-new-privs");
    private static readonly Option<string[]> Caps = new("--cap", "-c");
    private static readonly Option<int> PreserveFds = new("--preserve-fds");
    private static readonly Option<string?> CgroupOption = new("--cgroup");
    private static readonly Option<bool> IgnorePaused = new("--ignore-paused");

    public static Command Build()
    {
        var command = new Command("exec", "execute a new process inside the container");
        command.Arguments.Add(Id);
        command.Arguments.Add(CommandArgs);
        foreach (var option in new Option[] { ConsoleSocket, Cwd, Env, Tty, User, AdditionalGids, ProcessFile, Detach, PidFile, ProcessLabel, Apparmor, NoNewPrivs, Caps, PreserveFds, CgroupOption, IgnorePaused })
            command.Options.Add(option);
        command.SetAction(result => Cli.Execute(result, () =>
        {
            var runtime = Cli.Runtime(result);
            var id = result.GetValue(Id)!;
            var process = ProcessFor(result, runtime, id);
            return runtime.ExecAndWait(id, new ExecOptions
            {
                Process = process,
                ConsoleSocket = result.GetValue(ConsoleSocket),
                PidFile = result.GetValue(PidFile),
                Detach = result.GetValue(Detach),
                PreserveFds = result.GetValue(PreserveFds),
            });
        }));
        return command;
    }

    private static Process ProcessFor(ParseResult result, ContainerRuntime runtime, string id)
    {
        if (result.GetValue(ProcessFile) is { } file)
        {
            try
            {
                var process = JsonSerializer.Deserialize(File.ReadAllBytes(file), RuntimeJsonContext.Default.Process)
                    ?? throw BerthException.InvalidArgument("the process is null");
                return result.GetValue(Tty) ? process with { Terminal = true } : process;
            }
            catch (Exception e) when (e is not BerthException)
            {
                throw BerthException.Wrap(e, $"read process `{file}`");
            }
        }
        var args = result.GetValue(CommandArgs) ?? [];
        if (args.Length == 0)
            throw BerthException.InvalidArgument("exec: no command given (pass arguments or --process)");
        return runtime.ExecProcessFor(
            id,
            args,
            result.GetValue(Env) ?? [],
            result.GetValue(Cwd),
            ParseUser(result.GetValue(User), result.GetValue(AdditionalGids) ?? []),
            result.GetValue(Tty),
            result.GetValue(Caps) ?? [],
            result.GetValue(NoNewPrivs));
    }

    private static User? ParseUser(string? text, string[] gids)
    {
        if (text is null && gids.Length == 0)
            return null;
        var parts = (text ?? "0").Split(':');
        if (!uint.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var uid)
            || (parts.Length > 1 && !uint.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out _)))
            throw BerthException.InvalidArgument($"--user `{text}` must be UID[:GID]");
        var gid = parts.Length > 1 ? uint.Parse(parts[1], CultureInfo.InvariantCulture) : 0;
        var additional = gids.Select(g => uint.TryParse(g, NumberStyles.None, CultureInfo.InvariantCulture, out var v)
            ? v : throw BerthException.InvalidArgument($"--additional-gids `{g}` is not a number")).ToList();
        return new User { Uid = uid, Gid = gid, AdditionalGids = additional.Count > 0 ? additional : null };
    }
}
