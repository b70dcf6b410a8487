using System.Text;
using System.Text.Json;
using Berth.Linux.Interop;

namespace Berth.Engine.Logs;

/// <summary>
/// Reads a docker json-file log written by <see cref="JsonFileLogWriter"/>: the rotated files
/// oldest first (LOG.(N-1) … LOG.1, LOG), filtered by time, the last N kept, each entry's bytes
/// written to the caller's stdout or stderr stream. With <see cref="LogReadOptions.Follow"/> it
/// keeps reading LOG as it grows, survives a rotation (drains the old file, then opens the new
/// LOG), and stops once the container is no longer running and the file is read to its end.
/// A malformed line is skipped (docker does the same for a torn last line).
/// </summary>
public static class JsonFileLogReader
{
    /// <summary>All entries of the log and its rotated files, oldest first.</summary>
    public static IEnumerable<LogEntry> ReadAll(string path)
    {
        foreach (var file in Files(path))
        {
            using var stream = OpenShared(file);
            if (stream is null)
                continue;
            var lines = new LineSplitter();
            foreach (var entry in lines.ReadAvailable(stream))
                yield return entry;
        }
    }

    /// <summary>Writes the selected entries to <paramref name="stdout"/> and <paramref name="stderr"/>.</summary>
    public static async Task ReadAsync(string path, LogReadOptions options, Stream stdout, Stream stderr, CancellationToken cancellationToken)
    {
        var selected = new Queue<LogEntry>();
        foreach (var file in Files(path).Where(f => f != path))
        {
            using var stream = OpenShared(file);
            if (stream is not null)
                Select(new LineSplitter().ReadAvailable(stream), options, selected);
        }
        // LOG stays open: following continues from where the first pass stopped.
        var current = OpenShared(path);
        var splitter = new LineSplitter();
        try
        {
            if (current is not null)
                Select(splitter.ReadAvailable(current), options, selected);
            foreach (var entry in selected)
                await WriteAsync(entry, options, stdout, stderr, cancellationToken).ConfigureAwait(false);
            if (!options.Follow)
                return;
            while (true)
            {
                var running = options.IsRunning?.Invoke() ?? false;
                if (current is not null)
                {
                    foreach (var entry in splitter.ReadAvailable(current))
                    {
                        if (Keep(entry, options))
                            await WriteAsync(entry, options, stdout, stderr, cancellationToken).ConfigureAwait(false);
                    }
                }
                if (Rotated(current, path))
                {
                    // The file we hold is now LOG.1 and fully read: go on with the new LOG.
                    current?.Dispose();
                    current = OpenShared(path);
                    splitter = new LineSplitter();
                    continue;
                }
                if (!running)
                    return;
                await Task.Delay(options.PollInterval, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            current?.Dispose();
        }
    }

    private static void Select(IEnumerable<LogEntry> entries, LogReadOptions options, Queue<LogEntry> selected)
    {
        foreach (var entry in entries)
        {
            if (!Keep(entry, options))
                continue;
            selected.Enqueue(entry);
            if (options.Tail is { } tail && selected.Count > Math.Max(tail, 0))
                selected.Dequeue();
        }
    }

    private static bool Keep(LogEntry entry, LogReadOptions options) =>
        (options.Since is not { } since || entry.Time >= since.UtcDateTime)
        && (options.Until is not { } until || entry.Time < until.UtcDateTime);

    private static async Task WriteAsync(LogEntry entry, LogReadOptions options, Stream stdout, Stream stderr, CancellationToken cancellationToken)
    {
        var target = entry.Stream == LogStream.Stderr ? stderr : stdout;
        if (options.Timestamps)
            await target.WriteAsync(Encoding.ASCII.GetBytes(JsonLogFormat.FormatTime(entry.Time) + " "), cancellationToken).ConfigureAwait(false);
        await target.WriteAsync(entry.Log, cancellationToken).ConfigureAwait(false);
        await target.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>LOG and its rotated files, oldest first.</summary>
    private static List<string> Files(string path)
    {
        var rotated = new List<(int, string)>();
        var dir = Path.GetDirectoryName(Path.GetFullPath(path))!;
        var name = Path.GetFileName(path) + ".";
        if (Directory.Exists(dir))
        {
            foreach (var file in Directory.EnumerateFiles(dir, name + "*"))
            {
                var fileName = Path.GetFileName(file);
                if (fileName.Length > name.Length && int.TryParse(fileName.AsSpan(name.Length), out var n) && n > 0)
                    rotated.Add((n, file));
            }
        }
        return [.. rotated.OrderByDescending(r => r.Item1).Select(r => r.Item2), path];
    }

    private static FileStream? OpenShared(string path)
    {
        try
        {
            return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1);
        }
        catch (FileNotFoundException)
        {
            return null;
        }
        catch (DirectoryNotFoundException)
        {
            return null;
        }
    }

    /// <summary>True when <paramref name="path"/> is no longer the file <paramref name="held"/> (or appeared since).</summary>
    private static unsafe bool Rotated(FileStream? held, string path)
    {
        Statx now;
        if (Libc.statx(Libc.AT_FDCWD, path, 0, Libc.STATX_BASIC_STATS, &now) != 0)
            return false;
        if (held is null)
            return true;
        Statx old;
        var fd = (int)held.SafeFileHandle.DangerousGetHandle();
        if (Libc.statx(fd, "", Libc.AT_EMPTY_PATH, Libc.STATX_BASIC_STATS, &old) != 0)
            return false;
        return old.Ino != now.Ino || old.DevMajor != now.DevMajor || old.DevMinor != now.DevMinor;
    }

    /// <summary>Splits a growing file into complete lines; a line still being written waits for its newline.</summary>
    private sealed class LineSplitter
    {
        private readonly MemoryStream partial = new();
        private readonly byte[] buffer = new byte[64 * 1024];

        public List<LogEntry> ReadAvailable(Stream stream)
        {
            var entries = new List<LogEntry>();
            int n;
            while ((n = stream.Read(buffer)) > 0)
            {
                var span = buffer.AsSpan(0, n);
                int newline;
                while ((newline = span.IndexOf((byte)'\n')) >= 0)
                {
                    ReadOnlySpan<byte> line;
                    if (partial.Length > 0)
                    {
                        partial.Write(span[..newline]);
                        line = partial.GetBuffer().AsSpan(0, (int)partial.Length);
                    }
                    else
                    {
                        line = span[..newline];
                    }
                    if (Parse(line) is { } entry)
                        entries.Add(entry);
                    partial.SetLength(0);
                    span = span[(newline + 1)..];
                }
                partial.Write(span);
            }
            return entries;
        }
    }

    /// <summary>Parses one json-file line; null when it is not one.</summary>
    internal static LogEntry? Parse(ReadOnlySpan<byte> line)
    {
        try
        {
            var reader = new Utf8JsonReader(line);
            byte[]? log = null;
            var stream = LogStream.Stdout;
            DateTime time = default;
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
                return null;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("log"u8))
                {
                    reader.Read();
                    var bytes = new byte[reader.HasValueSequence ? reader.ValueSequence.Length : reader.ValueSpan.Length];
                    log = bytes[..reader.CopyString(bytes)];
                }
                else if (reader.ValueTextEquals("stream"u8))
                {
                    reader.Read();
                    stream = reader.ValueTextEquals("stderr"u8) ? LogStream.Stderr : LogStream.Stdout;
                }
                else if (reader.ValueTextEquals("time"u8))
                {
                    reader.Read();
                    time = LogTime.Parse(reader.GetString()!, DateTimeOffset.UtcNow).UtcDateTime;
                }
                else
                {
                    reader.Read();
                    reader.Skip();
                }
            }
            return log is null ? null : new LogEntry(stream, time, log);
        }
        catch (Exception e) when (e is JsonException or Berth.Errdefs.BerthException or InvalidOperationException)
        {
            return null;
        }
    }
}
