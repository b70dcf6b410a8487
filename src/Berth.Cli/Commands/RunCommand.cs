using System.CommandLine;
using System.Runtime.InteropServices;
using Berth.Engine.Containers;
using Berth.Engine.Model;
using Berth.Engine.Monitor;
using Berth.Errdefs;

namespace Berth.Cli.Commands;

/// <summary>
/// `run`: create a container from an image and start it; without -d, stay attached to its
/// stdio and exit with its status (signals forwarded to it, as docker's --sig-proxy), then
/// remove it when --rm was given.
/// </summary>
internal static class RunCommand
{
    public static Command Build()
    {
        var flags = new ContainerFlags();
        var detach = new Option<bool>("--detach", "-d") { Description = "run container in background and print container ID" };
        var sigProxy = new Option<bool>("--sig-proxy") { Description = "proxy received signals to the process", DefaultValueFactory = _ => true };
        var command = new Command("run", "create and run a new container from an image");
        flags.AddTo(command);
        command.Options.Add(detach);
        command.Options.Add(sigProxy);
        command.SetAction(r => Cli.ExecuteAsync(async () =>
        {
            var engine = Cli.Engine(r);
            var background = r.GetValue(detach);
            var request = flags.ToRequest(r, attachStdio: !background);
            if (request.Config.Tty && request.Config.OpenStdin && !background && !Terminal.IsTerminal(0))
                throw BerthException.InvalidArgument("the input device is not a TTY");
            if (background && request.HostConfig.AutoRemove && request.HostConfig.RestartPolicy.Name is not ("" or "no"))
                throw BerthException.InvalidArgument("conflicting options: cannot specify both --restart and --rm");
            await Transfers.ImagePulling.EnsureAsync(engine, request.Config.Image, r.GetValue(flags.Pull), r.GetValue(flags.Platform)).ConfigureAwait(false);
            var record = await engine.Containers.CreateAsync(request).ConfigureAwait(false);
            WriteCidFile(request.HostConfig, record.Id);
            if (background)
            {
                await StartOrRemoveAsync(engine.Containers, record, null).ConfigureAwait(false);
                Console.Out.WriteLine(record.Id);
                return 0;
            }
            return await RunAttachedAsync(engine.Containers, record, r.GetValue(sigProxy)).ConfigureAwait(false);
        }, 125));
        return command;
    }

    /// <summary>Starts with the caller attached from the first byte; returns the container's exit code.</summary>
    public static async Task<int> RunAttachedAsync(ContainerService containers, ContainerRecord record, bool sigProxy)
    {
        using var attach = AttachStreams.Create();
        await StartOrRemoveAsync(containers, record, attach).ConfigureAwait(false);
        var registrations = new List<PosixSignalRegistration>();
        if (sigProxy && !record.Config.Tty)
        {
            foreach (var signal in new[] { PosixSignal.SIGINT, PosixSignal.SIGTERM, PosixSignal.SIGHUP, PosixSignal.SIGQUIT })
            {
                registrations.Add(PosixSignalRegistration.Create(signal, context =>
                {
                    context.Cancel = true;
                    var name = context.Signal switch
                    {
                        PosixSignal.SIGINT => "SIGINT",
                        PosixSignal.SIGTERM => "SIGTERM",
                        PosixSignal.SIGHUP => "SIGHUP",
                        _ => "SIGQUIT",
                    };
                    try
                    {
                        containers.Runtime.Kill(record.Id, name);
                    }
                    catch (BerthException)
                    {
                        // Already exited: the attach ends on its own.
                    }
                }));
            }
        }
        int? code;
        try
        {
            code = await AttachClient.RunConsoleAsync(attach.Connection, record.Config.Tty, record.Config.OpenStdin, CancellationToken.None).ConfigureAwait(false);
        }
        finally
        {
            foreach (var registration in registrations)
                registration.Dispose();
        }
        if (code is null)
            return 0;
        if (record.HostConfig.AutoRemove)
        {
            // The exit reaches us just before the monitor records it: wait for that, then remove.
            await containers.WaitStoppedAsync(record.Id, TimeSpan.FromSeconds(10)).ConfigureAwait(false);
            await RemoveQuietlyAsync(containers, record.Id).ConfigureAwait(false);
        }
        return code.Value;
    }

    private static async Task StartOrRemoveAsync(ContainerService containers, ContainerRecord record, AttachStreams? attach)
    {
        try
        {
            await containers.StartAsync(record.Id, attach).ConfigureAwait(false);
        }
        catch (BerthException)
        {
            if (record.HostConfig.AutoRemove)
                await RemoveQuietlyAsync(containers, record.Id).ConfigureAwait(false);
            throw;
        }
    }

    public static async Task RemoveQuietlyAsync(ContainerService containers, string id)
    {
        try
        {
            await containers.RemoveAsync(id, force: false).ConfigureAwait(false);
        }
        catch (BerthException e) when (e.Kind is ErrorKind.NotFound or ErrorKind.Conflict)
        {
            // The monitor's cleanup got there first.
        }
    }

    public static void WriteCidFile(HostConfig host, string id)
    {
        if (host.ContainerIDFile is not { Length: > 0 } path)
            return;
        try
        {
            using var stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write);
            stream.Write(System.Text.Encoding.ASCII.GetBytes(id));
        }
        catch (IOException) when (File.Exists(path))
        {
            throw BerthException.AlreadyExists($"container ID file found, make sure the other container isn't running or delete {path}");
        }
    }
}
