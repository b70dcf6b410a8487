using System.Buffers;
using System.IO.Pipelines;
using System.Net.Sockets;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Connections.Features;

namespace Berth.Registry.Server;

/// <summary>
/// Zero-copy blob bodies for plain-HTTP/1.1 connections, which Kestrel lacks (its SendFileAsync
/// copies through a stream). A connection middleware puts this between Kestrel's HTTP layer and
/// the socket: everything Kestrel writes goes through <see cref="Output"/> (counted) to a pump that
/// sends it on the socket itself. A handler that wants to send a file asks Kestrel to flush the
/// response headers, then calls <see cref="QueueFile"/> at the current output position and
/// <em>advances</em> the body's length through Kestrel's writer without writing it (so Kestrel's
/// Content-Length accounting holds and no byte is touched). The pump sends up to that position,
/// then sendfile(2)s the file straight from the page cache, then drops the placeholder bytes.
/// Kestrel's own socket output is never written, only completed at the end.
/// </summary>
public sealed class SendFileTransport : IDuplexPipe
{
    private readonly IDuplexPipe _inner;
    private readonly Socket _socket;
    private readonly ConnectionContext _connection;
    private readonly Pipe _pipe = new(new PipeOptions(pauseWriterThreshold: 1 << 20, resumeWriterThreshold: 1 << 19, useSynchronizationContext: false));
    private readonly CountingWriter _writer;
    private readonly Queue<FileSend> _files = new();
    private readonly Task _pump;

    private sealed record FileSend(long Position, FileStream File, long Offset, long Count);

    public SendFileTransport(ConnectionContext connection, Socket socket)
    {
        _connection = connection;
        _inner = connection.Transport;
        _socket = socket;
        _writer = new CountingWriter(_pipe.Writer);
        _pump = Task.Run(PumpAsync);
    }

    public PipeReader Input => _inner.Input;

    public PipeWriter Output => _writer;

    /// <summary>How many bytes Kestrel has written so far: where a queued file's body begins.</summary>
    public long Position => _writer.Position;

    /// <summary>Queues COUNT bytes of FILE from OFFSET to go out at <see cref="Position"/>; the pump owns FILE now.</summary>
    public void QueueFile(FileStream file, long offset, long count)
    {
        lock (_files)
            _files.Enqueue(new FileSend(_writer.Position, file, offset, count));
    }

    /// <summary>Connection middleware: plain (non-TLS) socket connections get a SendFileTransport.</summary>
    public static Func<ConnectionDelegate, ConnectionDelegate> Middleware => next => async connection =>
    {
        if (connection.Features.Get<IConnectionSocketFeature>()?.Socket is not { } socket)
        {
            await next(connection);
            return;
        }
        var transport = new SendFileTransport(connection, socket);
        connection.Transport = transport;
        connection.Features.Set(transport);
        try
        {
            await next(connection);
        }
        finally
        {
            await transport.CompleteAsync();
        }
    };

    private async Task CompleteAsync()
    {
        await _writer.CompleteAsync();
        await _pump;
        lock (_files)
        {
            while (_files.TryDequeue(out var left))
                left.File.Dispose();
        }
        await _inner.Output.CompleteAsync();
    }

    private async Task PumpAsync()
    {
        var reader = _pipe.Reader;
        long consumed = 0, skip = 0;
        try
        {
            while (true)
            {
                var result = await reader.ReadAsync();
                var buffer = result.Buffer;
                while (!buffer.IsEmpty)
                {
                    if (skip > 0)
                    {
                        var dropped = Math.Min(skip, buffer.Length);
                        buffer = buffer.Slice(dropped);
                        skip -= dropped;
                        consumed += dropped;
                        continue;
                    }
                    FileSend? next;
                    lock (_files)
                        next = _files.TryPeek(out var peeked) ? peeked : null;
                    var until = next is null ? buffer.Length : Math.Min(buffer.Length, next.Position - consumed);
                    if (until > 0)
                    {
                        await SendAsync(buffer.Slice(0, until));
                        buffer = buffer.Slice(until);
                        consumed += until;
                        continue;
                    }
                    // At the file's position: send it from the page cache, then drop its placeholder.
                    lock (_files)
                        _files.Dequeue();
                    await using (next!.File)
                        await SendFileAsync(next.File, next.Offset, next.Count);
                    skip = next.Count;
                }
                reader.AdvanceTo(result.Buffer.End);
                if (result.IsCompleted || result.IsCanceled)
                    break;
            }
            await reader.CompleteAsync();
        }
        catch (Exception e)
        {
            // The client went away or the socket failed: this connection is over, the next is not.
            await reader.CompleteAsync(e);
            _connection.Abort();
        }
    }

    private async Task SendAsync(ReadOnlySequence<byte> data)
    {
        foreach (var segment in data)
        {
            var memory = segment;
            while (!memory.IsEmpty)
            {
                var sent = await _socket.SendAsync(memory, SocketFlags.None);
                memory = memory[sent..];
            }
        }
    }

    private async Task SendFileAsync(FileStream file, long offset, long count)
    {
        while (count > 0)
        {
            var chunk = (int)Math.Min(count, 1 << 30);
            using var args = new SocketAsyncEventArgs { SendPacketsElements = [new SendPacketsElement(file, offset, chunk, true)] };
            var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            args.Completed += (_, _) => done.TrySetResult();
            if (_socket.SendPacketsAsync(args))
                await done.Task;
            if (args.SocketError != SocketError.Success)
                throw new SocketException((int)args.SocketError);
            offset += chunk;
            count -= chunk;
        }
    }

    /// <summary>Kestrel's view of the output: a PipeWriter that counts what it is given.</summary>
    private sealed class CountingWriter(PipeWriter inner) : PipeWriter
    {
        private long _position;

        public long Position => Interlocked.Read(ref _position);

        public override void Advance(int bytes)
        {
            inner.Advance(bytes);
            Interlocked.Add(ref _position, bytes);
        }

        public override Memory<byte> GetMemory(int sizeHint = 0) => inner.GetMemory(sizeHint);

        public override Span<byte> GetSpan(int sizeHint = 0) => inner.GetSpan(sizeHint);

        public override void CancelPendingFlush() => inner.CancelPendingFlush();

        public override void Complete(Exception? exception = null) => inner.Complete(exception);

        public override ValueTask CompleteAsync(Exception? exception = null) => inner.CompleteAsync(exception);

        public override ValueTask<FlushResult> FlushAsync(CancellationToken cancellationToken = default) => inner.FlushAsync(cancellationToken);
    }
}
