using System.Text;

namespace Berth.Cli.Building;

/// <summary>
/// One step's output cut into lines: bytes are kept until their newline arrives (so a UTF-8
/// character or a line split across writes comes out whole), each line remembers when its first
/// byte came, and <see cref="Flush"/> hands out the unfinished rest when the step ends. A line
/// longer than <see cref="MaxLine"/> bytes is cut there, so a process that never writes a newline
/// cannot grow the buffer without bound.
/// </summary>
internal sealed class OutputLines
{
    public const int MaxLine = 64 * 1024;

    private byte[] partial = new byte[256];
    private int length;
    private long partialStarted;

    public bool HasPartial => length > 0;

    /// <summary>The unfinished line so far, for a live view.</summary>
    public string Partial => Decode(partial.AsSpan(0, length));

    /// <summary>Adds <paramref name="data"/> that arrived at <paramref name="now"/>; calls <paramref name="line"/> for each line it completes, without its newline.</summary>
    public void Append(ReadOnlySpan<byte> data, long now, Action<long, string> line)
    {
        while (!data.IsEmpty)
        {
            if (length == 0)
            {
                partialStarted = now;
            }
            var newline = data.IndexOf((byte)'\n');
            var take = newline < 0 ? data.Length : newline;
            take = Math.Min(take, MaxLine - length);
            Keep(data[..take]);
            data = data[take..];
            if (newline >= 0 && newline == take)
            {
                data = data[1..]; // the newline itself
                Emit(line);
            }
            else if (length == MaxLine)
            {
                Emit(line);
            }
        }
    }

    /// <summary>The unfinished line as a line of its own, if there is one.</summary>
    public void Flush(Action<long, string> line)
    {
        if (length > 0)
        {
            Emit(line);
        }
    }

    private void Keep(ReadOnlySpan<byte> bytes)
    {
        if (length + bytes.Length > partial.Length)
        {
            Array.Resize(ref partial, Math.Min(MaxLine, Math.Max(partial.Length * 2, length + bytes.Length)));
        }
        bytes.CopyTo(partial.AsSpan(length));
        length += bytes.Length;
    }

    private void Emit(Action<long, string> line)
    {
        var span = partial.AsSpan(0, length);
        if (span.EndsWith((ReadOnlySpan<byte>)"\r"u8))
        {
            span = span[..^1];
        }
        var text = Decode(span);
        length = 0;
        line(partialStarted, text);
    }

    private static string Decode(ReadOnlySpan<byte> bytes) => Encoding.UTF8.GetString(bytes);
}
