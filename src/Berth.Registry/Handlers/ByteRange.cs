using System.Globalization;

namespace Berth.Registry.Handlers;

/// <summary>
/// The two range headers the registry reads, parsed with explicit limits. A blob GET's
/// <c>Range: bytes=START-END | bytes=START- | bytes=-SUFFIX</c> (RFC 9110, one range only), and an
/// upload PATCH's <c>Content-Range: START-END</c> (the distribution spec's form, also accepted as
/// <c>bytes START-END/*</c>).
/// </summary>
public static class ByteRange
{
    public enum Outcome
    {
        /// <summary>No usable Range header (absent, malformed or several ranges): serve the whole blob with 200.</summary>
        Whole,

        /// <summary>A satisfiable range: serve it with 206.</summary>
        Partial,

        /// <summary>A well-formed range that starts past the end: 416 with <c>Content-Range: bytes */SIZE</c>.</summary>
        Unsatisfiable,
    }

    /// <summary>Reads a Range header against a blob of <paramref name="size"/> bytes.</summary>
    public static Outcome Parse(string? header, long size, out long start, out long length)
    {
        start = 0;
        length = size;
        if (string.IsNullOrEmpty(header) || header.Length > 256)
            return Outcome.Whole;
        var value = header.AsSpan().Trim();
        if (!value.StartsWith("bytes=", StringComparison.OrdinalIgnoreCase))
            return Outcome.Whole;
        value = value["bytes=".Length..].Trim();
        if (value.Contains(','))
            return Outcome.Whole;
        var dash = value.IndexOf('-');
        if (dash < 0)
            return Outcome.Whole;
        var first = value[..dash].Trim();
        var last = value[(dash + 1)..].Trim();
        if (first.IsEmpty)
        {
            if (!TryNumber(last, out var suffix))
                return Outcome.Whole;
            if (suffix == 0)
                return Outcome.Unsatisfiable;
            length = Math.Min(suffix, size);
            start = size - length;
            return size == 0 ? Outcome.Unsatisfiable : Outcome.Partial;
        }
        if (!TryNumber(first, out var from))
            return Outcome.Whole;
        long to;
        if (last.IsEmpty)
            to = size - 1;
        else if (!TryNumber(last, out to) || to < from)
            return Outcome.Whole;
        if (from >= size)
            return Outcome.Unsatisfiable;
        to = Math.Min(to, size - 1);
        start = from;
        length = to - from + 1;
        return Outcome.Partial;
    }

    /// <summary>Reads a PATCH's Content-Range; false when it is not one.</summary>
    public static bool TryParseContentRange(string? header, out long start, out long end)
    {
        start = end = 0;
        if (string.IsNullOrEmpty(header) || header.Length > 256)
            return false;
        var value = header.AsSpan().Trim();
        if (value.StartsWith("bytes ", StringComparison.OrdinalIgnoreCase))
            value = value["bytes ".Length..].Trim();
        var slash = value.IndexOf('/');
        if (slash >= 0)
            value = value[..slash];
        var dash = value.IndexOf('-');
        return dash > 0 && TryNumber(value[..dash], out start) && TryNumber(value[(dash + 1)..], out end) && end >= start;
    }

    private static bool TryNumber(ReadOnlySpan<char> text, out long value)
    {
        value = 0;
        return text.Length is > 0 and <= 18 && text.IndexOfAnyExceptInRange('0', '9') < 0 &&
               long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value);
    }
}
