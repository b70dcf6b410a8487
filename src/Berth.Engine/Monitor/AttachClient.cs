using Berth.Errdefs;
using Berth.Linux;
using Berth.Linux.Interop;
using Microsoft.Win32.SafeHandles;

namespace Berth.Engine.Monitor;

/// <summary>
/// Pumps an <see cref="AttachConnection"/>: the caller's stdin to the container, its output to the
/// caller's streams, until the container exits (returns its exit code) or the user detaches with
/// the detach keys (returns null). A monitor that goes away without reporting an exit is an
/// error ("monitor exited unexpectedly"), never a silent success.
/// </summary>
public static class AttachClient
{
    /// <summary>Pumps <paramref name="connection"/> against <paramref name="options"/>' streams.</summary>
    public static Task<int?> RunAsync(AttachConnection connection, AttachOptions options, CancellationToken cancellationToken)
    {
        var done = new TaskCompletionSource<int?>(TaskCreationOptions.RunContinuationsAsynchronously);
        var registration = cancellationToken.Register(() =>
        {
            done.TrySetCanceled(cancellationToken);
            connection.Shutdown();
        });
        done.Task.ContinueWith(_ => registration.Dispose(), TaskScheduler.Default);
        if (options.Stdin is { } stdin)
            StartThread("attach-stdin", () => PumpStdin(connection, stdin, options, done));
        StartThread("attach-output", () => PumpOutput(connection, options, done));
        return done.Task;
    }

    /// <summary>
    /// Attaches the current process's own stdio (the CLI's `attach`, `run` without -d): raw mode
    /// and size forwarding (SIGWINCH) when <paramref name="tty"/> and stdin is a terminal.
    /// </summary>
    public static async Task<int?> RunConsoleAsync(AttachConnection connection, bool tty, bool stdin, CancellationToken cancellationToken)
    {
        byte[]? saved = null;
        System.Runtime.InteropServices.PosixSignalRegistration? winch = null;
        if (tty)
        {
            // docker resizes whenever there is a tty, with or without -i; raw mode only when
            // our own stdin is a terminal that we forward.
            if (stdin && Libc.isatty(0) == 1)
                saved = Pty.MakeRaw(0);
            SendSize(connection);
            winch = System.Runtime.InteropServices.PosixSignalRegistration.Create(
                System.Runtime.InteropServices.PosixSignal.SIGWINCH, _ => SendSize(connection));
        }
        try
        {
            var options = new AttachOptions
            {
                Tty = tty,
                // Console streams use read(2)/write(2) at the descriptor's own offset. A FileStream on
                // a regular file would write at its own position and clobber what others (the shell,
                // an earlier command appending to the same file) wrote there.
                Stdin = stdin ? Console.OpenStandardInput(0) : null,
                Stdout = Console.OpenStandardOutput(0),
                Stderr = Console.OpenStandardError(0),
            };
            return await RunAsync(connection, options, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            winch?.Dispose();
            if (saved is not null)
                Pty.Restore(0, saved);
        }
    }

    private static unsafe void SendSize(AttachConnection connection)
    {
        const ulong TIOCGWINSZ = 0x5413;
        var size = stackalloc ushort[4];
        if (Libc.ioctl(1, TIOCGWINSZ, size) == 0 || Libc.ioctl(0, TIOCGWINSZ, size) == 0)
        {
            try
            {
                connection.SendResize(size[0], size[1]);
            }
            catch (BerthException)
            {
                // The container is gone; the output pump reports how it ended.
            }
        }
    }

    private static void StartThread(string name, ThreadStart body) =>
        new Thread(body) { IsBackground = true, Name = name }.Start();

    private static void PumpOutput(AttachConnection connection, AttachOptions options, TaskCompletionSource<int?> done)
    {
        var buffer = new byte[AttachConnection.MaxPayload + 1];
        try
        {
            while (connection.Receive(buffer, out var type, out var length))
            {
                var payload = buffer.AsSpan(1, length - 1);
                switch (type)
                {
                    case AttachMessageType.Stdout when options.Stdout is { } o:
                        o.Write(payload);
                        o.Flush();
                        break;
                    case AttachMessageType.Stderr when options.Stderr is { } e:
                        e.Write(payload);
                        e.Flush();
                        break;
                    case AttachMessageType.Exit:
                        done.TrySetResult(AttachConnection.ReadExitCode(payload));
                        return;
                }
            }
            done.TrySetException(new BerthException(ErrorKind.Unavailable, MonitorProbe.DeadError));
        }
        catch (Exception e)
        {
            done.TrySetException(e);
        }
    }

    private static void PumpStdin(AttachConnection connection, Stream stdin, AttachOptions options, TaskCompletionSource<int?> done)
    {
        var buffer = new byte[AttachConnection.MaxPayload];
        var output = new byte[AttachConnection.MaxPayload + 16];
        var keys = options.Tty ? options.DetachKeys : [];
        var matched = 0;
        try
        {
            int n;
            while (!done.Task.IsCompleted && (n = stdin.Read(buffer)) > 0)
            {
                var count = 0;
                foreach (var b in buffer.AsSpan(0, n))
                {
                    if (keys.Length > 0 && b == keys[matched])
                    {
                        if (++matched < keys.Length)
                            continue;
                        connection.Send(AttachMessageType.Stdin, output.AsSpan(0, count));
                        done.TrySetResult(null);
                        connection.Shutdown();
                        return;
                    }
                    if (matched > 0)
                    {
                        // A sequence begun but not finished was the user's input after all.
                        keys.AsSpan(0, matched).CopyTo(output.AsSpan(count));
                        count += matched;
                        matched = 0;
                        if (b == keys[0])
                        {
                            matched = 1;
                            continue;
                        }
                    }
                    output[count++] = b;
                }
                if (count > 0)
                    connection.Send(AttachMessageType.Stdin, output.AsSpan(0, count));
            }
            if (!done.Task.IsCompleted)
                connection.Send(AttachMessageType.StdinEof, []);
        }
        catch (BerthException)
        {
            // The connection ended; the output pump reports the exit or the monitor's death.
        }
        catch (IOException)
        {
        }
    }
}
