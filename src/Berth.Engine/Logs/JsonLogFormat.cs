using System.Text;

namespace Berth.Engine.Logs;

/// <summary>
/// docker's json-file line, byte for byte as its jsonlog writer makes it:
/// <c>{"log":"…","stream":"stdout","time":"2024-05-01T10:00:00.123456789Z"}</c> with Go's string
/// escaping (&lt;, &gt;, &amp;, U+2028/9 as \u escapes; invalid UTF-8 as U+FFFD) and the time in
/// RFC 3339 with trailing fraction zeros trimmed.
/// </summary>
internal static class JsonLogFormat
{
    private static ReadOnlySpan<byte> Hex => "0123456789abcdef"u8;

    /// <summary>The most bytes <see cref="Encode"/> writes for <paramref name="logLength"/> log bytes.</summary>
    public static int MaxLength(int logLength) => logLength * 6 + 128;

    /// <summary>Writes one entry (with its final newline) into <paramref name="to"/>; returns the length.</summary>
    public static int Encode(Span<byte> to, ReadOnlySpan<byte> log, LogStream stream, DateTime utc)
    {
        var n = Append(to, 0, "{\"log\":\""u8);
        n = Escape(to, n, log);
        n = Append(to, n, stream == LogStream.Stdout ? "\",\"stream\":\"stdout\",\"time\":\""u8 : "\",\"stream\":\"stderr\",\"time\":\""u8);
        n += FormatTime(to[n..], utc);
        return Append(to, n, "\"}\n"u8);
    }

    /// <summary>RFC 3339 with up to 7 fraction digits (DateTime's precision), trailing zeros trimmed as Go's RFC3339Nano does.</summary>
    public static int FormatTime(Span<byte> to, DateTime utc)
    {
        utc.TryFormat(to, out var n, "yyyy-MM-ddTHH:mm:ss.fffffff", System.Globalization.CultureInfo.InvariantCulture);
        while (to[n - 1] == (byte)'0')
            n--;
        if (to[n - 1] == (byte)'.')
            n--;
        to[n++] = (byte)'Z';
        return n;
    }

    public static string FormatTime(DateTime utc)
    {
        Span<byte> buffer = stackalloc byte[40];
        return Encoding.ASCII.GetString(buffer[..FormatTime(buffer, utc)]);
    }

    private static int Append(Span<byte> to, int at, ReadOnlySpan<byte> text)
    {
        text.CopyTo(to[at..]);
        return at + text.Length;
    }

    private static int Escape(Span<byte> to, int n, ReadOnlySpan<byte> s)
    {
        var i = 0;
        while (i < s.Length)
        {
            var b = s[i];
            if (b < 0x80)
            {
                switch (b)
                {
                    case (byte)'"': n = Append(to, n, "\\\""u8); break;
                    case (byte)'\\': n = Append(to, n, "\\\\"u8); break;
                    case (byte)'\n': n = Append(to, n, "\\n"u8); break;
                    case (byte)'\r': n = Append(to, n, "\\r"u8); break;
                    case (byte)'\t': n = Append(to, n, "\\t"u8); break;
                    case < 0x20 or (byte)'<' or (byte)'>' or (byte)'&':
                        n = Append(to, n, "\\u00"u8);
                        to[n++] = Hex[b >> 4];
                        to[n++] = Hex[b & 0xf];
                        break;
                    default: to[n++] = b; break;
                }
                i++;
                continue;
            }
            var status = System.Text.Rune.DecodeFromUtf8(s[i..], out var rune, out var length);
            if (status != System.Buffers.OperationStatus.Done)
            {
                n = Append(to, n, "\\ufffd"u8);
                i += Math.Max(length, 1);
                continue;
            }
            if (rune.Value is 0x2028 or 0x2029)
                n = Append(to, n, rune.Value == 0x2028 ? "\\u2028"u8 : "\\u2029"u8);
            else
                n = Append(to, n, s.Slice(i, length));
            i += length;
        }
        return n;
    }
}
