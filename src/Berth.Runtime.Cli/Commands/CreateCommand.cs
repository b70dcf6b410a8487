using System.CommandLine;
using Berth.Runtime.Lifecycle;

namespace Berth.Runtime.Cli.Commands;

/// <summary>`create`: make a container from a bundle, its init waiting for `start`.</summary>
internal static class CreateCommand
{
    public static readonly Option<string> Bundle = new("--bundle", "-b") { Description = "path to the bundle", DefaultValueFactory = _ => "." };
    public static readonly Option<string?> PidFile = new("--pid-file") { Description = "file to write the init's pid to" };
    public static readonly Option<string?> ConsoleSocket = new("--console-socket") { Description = "unix socket that receives the pty master" };
    public static readonly Option<bool> NoPivot = new("--no-pivot") { Description = "use MS_MOVE and chroot instead of pivot_root" };
    public static readonly Option<bool> NoNewKeyring = new("--no-new-keyring") { Description = "do not create a new session keyring" };
    public static readonly Option<int> PreserveFds = new("--preserve-fds") { Description = "pass N extra descriptors (3…) to the container" };
    public static readonly Argument<string> Id = new("container-id");

    public static Command Build()
    {
        var command = new Command("create", "create a container");
        AddCreateOptions(command);
        command.SetAction(result => Cli.Execute(result, () =>
        {
            Cli.Runtime(result).Create(result.GetValue(Id)!, Options(result));
            return 0;
        }));
        return command;
    }

    public static void AddCreateOptions(Command command)
    {
        foreach (var option in new Option[] { Bundle, PidFile, ConsoleSocket, NoPivot, NoNewKeyring, PreserveFds })
            command.Options.Add(option);
        command.Arguments.Add(Id);
    }

    public static CreateOptions Options(ParseResult result) => new()
    {
        Bundle = result.GetValue(Bundle)!,
        PidFile = result.GetValue(PidFile),
        ConsoleSocket = result.GetValue(ConsoleSocket),
        NoPivot = result.GetValue(NoPivot),
        PreserveFds = result.GetValue(PreserveFds),
    };
}
