using System.Runtime.InteropServices;
using Berth.Errdefs;
using Berth.Linux;
using Berth.Linux.Interop;

namespace Berth.Runtime.Lifecycle;

public sealed partial class ContainerRuntime
{
    private static readonly PosixSignal[] Forwarded =
    [
        PosixSignal.SIGTERM, PosixSignal.SIGINT, PosixSignal.SIGHUP, PosixSignal.SIGQUIT,
        (PosixSignal)Signals.SIGUSR1, (PosixSignal)Signals.SIGUSR2,
    ];

    /// <summary>
    /// `run`: create and start; then, unless detached, forward signals to the container, wait
    /// for its process and delete it (unless <paramref name="keep"/>), returning its exit status
    /// (128 + signal if killed).
    /// A terminal with no console socket is served here, copying between our stdio and the pty.
    /// </summary>
    public int Run(string id, CreateOptions create, bool detach, bool keep = false)
    {
        ForegroundTerminal? terminal = null;
        var spec = Oci.Runtime.SpecLoader.Load(Path.GetFullPath(create.Bundle));
        if (spec.Process?.Terminal == true && create.ConsoleSocket is null)
        {
            if (detach)
                throw BerthException.InvalidArgument("cannot allocate a terminal when detaching without --console-socket");
            terminal = ForegroundTerminal.Listen();
            create = create with { ConsoleSocket = terminal.SocketPath };
        }
        using var _ = terminal;
        var pid = Create(id, create);
        if (detach)
        {
            Start(id);
            return 0;
        }
        var registrations = Forwarded.Select(s => PosixSignalRegistration.Create(s, context =>
        {
            context.Cancel = true;
            Libc.kill(pid, SignalNumber(context.Signal));
        })).ToList();
        try
        {
            terminal?.Attach();
            Start(id);
            var code = Children.Wait(pid);
            terminal?.Drain();
            return code;
        }
        finally
        {
            foreach (var r in registrations)
                r.Dispose();
            if (keep)
                Kill(id, Signals.SIGKILL, all: true);
            else
                Delete(id, force: true);
        }
    }

    /// <summary>
    /// `exec` from the command line: detached, returns 0 once the process runs; otherwise waits
    /// for it (serving its terminal when there is no console socket) and returns its status.
    /// </summary>
    public int ExecAndWait(string id, ExecOptions exec)
    {
        ForegroundTerminal? terminal = null;
        if (exec.Process.Terminal && exec.ConsoleSocket is null)
        {
            if (exec.Detach)
                throw BerthException.InvalidArgument("cannot allocate a terminal when detaching without --console-socket");
            terminal = ForegroundTerminal.Listen();
            exec = exec with { ConsoleSocket = terminal.SocketPath };
        }
        using var _ = terminal;
        var pid = Exec(id, exec);
        if (exec.Detach)
            return 0;
        terminal?.Attach();
        var code = WaitForeground(pid);
        terminal?.Drain();
        return code;
    }

    /// <summary>Waits for a process this runtime started (an exec that was not detached).</summary>
    public static int WaitForeground(int pid)
    {
        var registrations = Forwarded.Select(s => PosixSignalRegistration.Create(s, context =>
        {
            context.Cancel = true;
            Libc.kill(pid, SignalNumber(context.Signal));
        })).ToList();
        try
        {
            return Children.Wait(pid);
        }
        finally
        {
            foreach (var r in registrations)
                r.Dispose();
        }
    }

    private static int SignalNumber(PosixSignal signal) => signal switch
    {
        PosixSignal.SIGTERM => Signals.SIGTERM,
        PosixSignal.SIGINT => Signals.SIGINT,
        PosixSignal.SIGHUP => Signals.SIGHUP,
        PosixSignal.SIGQUIT => Signals.SIGQUIT,
        _ => (int)signal,
    };
}
