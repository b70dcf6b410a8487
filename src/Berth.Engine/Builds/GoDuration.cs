using System.Globalization;
using Berth.Errdefs;

namespace Berth.Engine.Builds;

/// <summary>Go's <c>time.ParseDuration</c> ("1m30s", "1.5h", "300ms"), in nanoseconds, as HEALTHCHECK's options take it.</summary>
public static class GoDuration
{
    private static readonly (string Unit, double Nanos)[] Units =
    [
        ("ns", 1), ("us", 1e3), ("µs", 1e3), ("μs", 1e3), ("ms", 1e6), ("s", 1e9), ("m", 60e9), ("h", 3600e9),
    ];

    public static long Parse(string text)
    {
        var s = text.AsSpan();
        var negative = false;
        if (s.Length > 0 && s[0] is '-' or '+')
        {
            negative = s[0] == '-';
            s = s[1..];
        }
        if (s is "0")
            return 0;
        if (s.IsEmpty)
            throw Invalid(text);
        double total = 0;
        while (!s.IsEmpty)
        {
            var n = 0;
            while (n < s.Length && (char.IsAsciiDigit(s[n]) || s[n] == '.'))
                n++;
            if (n == 0 || !double.TryParse(s[..n], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value))
                throw Invalid(text);
            s = s[n..];
            var u = 0;
            while (u < s.Length && !char.IsAsciiDigit(s[u]) && s[u] != '.')
                u++;
            if (u == 0)
                throw BerthException.InvalidArgument($"time: missing unit in duration \"{text}\"");
            var unit = s[..u].ToString();
            var match = Array.FindIndex(Units, x => x.Unit == unit);
            if (match < 0)
                throw BerthException.InvalidArgument($"time: unknown unit \"{unit}\" in duration \"{text}\"");
            total += value * Units[match].Nanos;
            s = s[u..];
        }
        if (total > long.MaxValue)
            throw Invalid(text);
        var nanos = (long)Math.Round(total);
        return negative ? -nanos : nanos;
    }

    private static BerthException Invalid(string text) => BerthException.InvalidArgument($"time: invalid duration \"{text}\"");
}
