using Microsoft.Win32.SafeHandles;

namespace Berth.Engine.Logs;

/// <summary>
/// Writes a container's output as docker's json-file log: one JSON object per line of output
/// (the line's newline kept in "log"), a line longer than <see cref="MaxLineBytes"/> cut into
/// partial entries without a newline, as docker does. When the next entry would take the file
/// past <c>maxSize</c> bytes the log rotates: LOG → LOG.1 → … → LOG.(maxFiles-1), the oldest
/// dropped. Single-threaded; one writer per log (the container's monitor).
/// </summary>
public sealed class JsonFileLogWriter : IDisposable
{
    /// <summary>Docker's line buffer: a line without a newline is written once it reaches this size.</summary>
    public const int MaxLineBytes = 16 * 1024;

    private readonly string path;
    private readonly long maxSize;
    private readonly int maxFiles;
    private readonly byte[][] pending = [[], []];
    private readonly int[] pendingLength = new int[2];
    private byte[] encoded = new byte[1024];
    private SafeFileHandle file;
    private long size;

    /// <param name="path">The log file (LOG).</param>
    /// <param name="maxSize">Rotate past this many bytes; 0 never rotates.</param>
    /// <param name="maxFiles">Files to keep, LOG included (at least 1).</param>
    public JsonFileLogWriter(string path, long maxSize = 20 * 1024 * 1024, int maxFiles = 5)
    {
        this.path = path;
        this.maxSize = maxSize;
        this.maxFiles = Math.Max(1, maxFiles);
        file = Open(path, out size);
    }

    /// <summary>Logs bytes the container wrote: complete lines now, the rest when its line completes (or fills the buffer).</summary>
    public void Write(LogStream stream, ReadOnlySpan<byte> data) => Write(stream, data, DateTime.UtcNow);

    public void Write(LogStream stream, ReadOnlySpan<byte> data, DateTime utc)
    {
        var s = (int)stream;
        while (!data.IsEmpty)
        {
            var newline = data.IndexOf((byte)'\n');
            var take = newline >= 0 ? newline + 1 : data.Length;
            var room = MaxLineBytes - pendingLength[s];
            if (take > room)
                take = room;
            var piece = data[..take];
            data = data[take..];
            var complete = piece[^1] == (byte)'\n';
            if (pendingLength[s] == 0 && (complete || take == MaxLineBytes))
            {
                WriteEntry(stream, piece, utc);
                continue;
            }
            if (pending[s].Length < MaxLineBytes)
                Array.Resize(ref pending[s], MaxLineBytes);
            piece.CopyTo(pending[s].AsSpan(pendingLength[s]));
            pendingLength[s] += take;
            if (complete || pendingLength[s] == MaxLineBytes)
                FlushStream(stream, utc);
        }
    }

    /// <summary>Writes the unfinished lines of both streams as partial entries (at the container's exit).</summary>
    public void Flush()
    {
        FlushStream(LogStream.Stdout, DateTime.UtcNow);
        FlushStream(LogStream.Stderr, DateTime.UtcNow);
    }

    /// <summary>Writes one entry as it is: <paramref name="log"/> ends with a newline unless it is partial.</summary>
    public void WriteEntry(LogStream stream, ReadOnlySpan<byte> log, DateTime utc)
    {
        var max = JsonLogFormat.MaxLength(log.Length);
        if (encoded.Length < max)
            encoded = new byte[Math.Max(max, encoded.Length * 2)];
        var length = JsonLogFormat.Encode(encoded, log, stream, utc);
        if (maxSize > 0 && size > 0 && size + length > maxSize)
            Rotate();
        RandomAccess.Write(file, encoded.AsSpan(0, length), size);
        size += length;
    }

    private void FlushStream(LogStream stream, DateTime utc)
    {
        var s = (int)stream;
        if (pendingLength[s] == 0)
            return;
        WriteEntry(stream, pending[s].AsSpan(0, pendingLength[s]), utc);
        pendingLength[s] = 0;
    }

    private void Rotate()
    {
        file.Dispose();
        if (maxFiles > 1)
        {
            File.Delete($"{path}.{maxFiles - 1}");
            for (var i = maxFiles - 2; i >= 1; i--)
            {
                if (File.Exists($"{path}.{i}"))
                    File.Move($"{path}.{i}", $"{path}.{i + 1}");
            }
            File.Move(path, path + ".1");
        }
        else
        {
            File.Delete(path);
        }
        file = Open(path, out size);
    }

    private static SafeFileHandle Open(string path, out long size)
    {
        var handle = File.OpenHandle(path, FileMode.OpenOrCreate, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete);
        size = RandomAccess.GetLength(handle);
        return handle;
    }

    public void Dispose()
    {
        Flush();
        file.Dispose();
    }
}
