using System.Globalization;
using System.Text.RegularExpressions;
using Berth.Errdefs;

namespace Berth.Engine.Logs;

/// <summary>Docker's --since/--until values: RFC 3339 (date, date-time, with or without zone), unix seconds with an optional fraction, or a Go duration back from now ("10m", "1h30m").</summary>
public static partial class LogTime
{
    public static DateTimeOffset Parse(string value, DateTimeOffset now)
    {
        if (Duration().Match(value) is { Success: true } m)
        {
            var total = TimeSpan.Zero;
            foreach (Capture c in m.Groups["part"].Captures)
            {
                var unitAt = c.Value.IndexOfAny(['h', 'm', 's', 'u', 'µ', 'n']);
                var number = double.Parse(c.Value[..unitAt], CultureInfo.InvariantCulture);
                total += c.Value[unitAt..] switch
                {
                    "h" => TimeSpan.FromHours(number),
                    "m" => TimeSpan.FromMinutes(number),
                    "s" => TimeSpan.FromSeconds(number),
                    "ms" => TimeSpan.FromMilliseconds(number),
                    "us" or "µs" => TimeSpan.FromMicroseconds(number),
                    _ => TimeSpan.FromTicks((long)(number / 100)),
                };
            }
            return now - total;
        }
        if (Unix().Match(value) is { Success: true } u)
        {
            var seconds = long.Parse(u.Groups[1].Value, CultureInfo.InvariantCulture);
            var fraction = u.Groups[2].Success ? u.Groups[2].Value.PadRight(7, '0')[..7] : "0";
            return DateTimeOffset.FromUnixTimeSeconds(seconds).AddTicks(long.Parse(fraction, CultureInfo.InvariantCulture));
        }
        string[] formats =
        [
            "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK", "yyyy-MM-dd'T'HH:mm:ssK", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF",
            "yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd'T'HH:mm", "yyyy-MM-dd",
        ];
        // Docker reads a time without a zone as local time; so do we.
        var trimmed = TrimNanoseconds(value);
        if (DateTimeOffset.TryParseExact(trimmed, formats, CultureInfo.InvariantCulture, DateTimeStyles.AssumeLocal, out var time))
            return time;
        throw BerthException.InvalidArgument($"time `{value}`: not an RFC 3339 time, a unix timestamp or a duration");
    }

    // .NET takes 7 fraction digits; RFC3339Nano has up to 9.
    private static string TrimNanoseconds(string value)
    {
        var m = Fraction().Match(value);
        return m.Success && m.Groups[1].Value.Length > 7 ? value[..(m.Groups[1].Index + 7)] + value[(m.Groups[1].Index + m.Groups[1].Length)..] : value;
    }

    [GeneratedRegex(@"^(?<part>[0-9]+(\.[0-9]+)?(h|m|s|ms|us|µs|ns))+$")]
    private static partial Regex Duration();

    [GeneratedRegex(@"^([0-9]+)(?:\.([0-9]{1,9}))?$")]
    private static partial Regex Unix();

    [GeneratedRegex(@"T[0-9:]+\.([0-9]+)")]
    private static partial Regex Fraction();
}
