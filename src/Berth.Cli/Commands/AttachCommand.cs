using System.CommandLine;
using System.Runtime.InteropServices;
using Berth.Engine.Monitor;
using Berth.Errdefs;

namespace Berth.Cli.Commands;

/// <summary>
/// `attach [--no-stdin] [--sig-proxy] [--detach-keys K] CONTAINER`: this terminal's stdio to a
/// running container's (through its monitor), until it exits (berth exits with its status) or
/// the user detaches with ctrl-p ctrl-q in tty mode.
/// </summary>
internal static class AttachCommand
{
    public static Command Build()
    {
        var noStdin = new Option<bool>("--no-stdin") { Description = "do not attach STDIN" };
        var sigProxy = new Option<bool>("--sig-proxy") { Description = "proxy all received signals to the process", DefaultValueFactory = _ => true };
        var detachKeys = new Option<string?>("--detach-keys") { Description = "override the key sequence for detaching a container (only ctrl-p,ctrl-q for now)" };
        var container = new Argument<string>("container");
        var command = new Command("attach", "attach local standard input, output, and error streams to a running container");
        command.Options.Add(noStdin);
        command.Options.Add(sigProxy);
        command.Options.Add(detachKeys);
        command.Arguments.Add(container);
        command.SetAction(r => Cli.ExecuteAsync(async () =>
        {
            if (r.GetValue(detachKeys) is { Length: > 0 } keys && keys != "ctrl-p,ctrl-q")
                throw BerthException.InvalidArgument($"--detach-keys `{keys}`: only the default ctrl-p,ctrl-q is supported");
            var engine = Cli.Engine(r);
            var view = engine.Containers.Get(r.GetValue(container)!);
            if (!view.State.Running || view.State.Dead)
                throw BerthException.Conflict("You cannot attach to a stopped container, start it first");
            if (view.State.Paused)
                throw BerthException.Conflict("You cannot attach to a paused container, unpause it first");
            var config = view.Record.Config;
            var stdin = config.OpenStdin && !r.GetValue(noStdin);
            if (config.Tty && stdin && !Terminal.IsTerminal(0))
                throw BerthException.InvalidArgument("the input device is not a TTY");
            using var connection = AttachConnection.Connect(view.Dir);
            var registrations = new List<PosixSignalRegistration>();
            if (r.GetValue(sigProxy) && !config.Tty)
            {
                foreach (var (signal, name) in new[] { (PosixSignal.SIGINT, "SIGINT"), (PosixSignal.SIGTERM, "SIGTERM"), (PosixSignal.SIGHUP, "SIGHUP"), (PosixSignal.SIGQUIT, "SIGQUIT") })
                {
                    registrations.Add(PosixSignalRegistration.Create(signal, context =>
                    {
                        context.Cancel = true;
                        try
                        {
                            engine.Containers.Runtime.Kill(view.Id, name);
                        }
                        catch (BerthException)
                        {
                            // Already exited: the attach ends on its own.
                        }
                    }));
                }
            }
            try
            {
                var code = await AttachClient.RunConsoleAsync(connection, config.Tty, stdin, CancellationToken.None).ConfigureAwait(false);
                return code ?? 0;
            }
            finally
            {
                foreach (var registration in registrations)
                    registration.Dispose();
            }
        }));
        return command;
    }
}
