using System.Globalization;
using Berth.Errdefs;

namespace Berth.Engine;

/// <summary>Docker's size strings (<c>--memory 512m</c>, <c>--log-opt max-size=10m</c>, <c>--shm-size 1g</c>): binary multiples, suffix b/k/m/g/t/p, case-insensitive.</summary>
public static class Units
{
    public static long ParseSize(string text, string what)
    {
        var s = text.Trim().ToLowerInvariant();
        if (s.EndsWith("ib", StringComparison.Ordinal))
            s = s[..^2];
        else if (s.Length > 1 && s.EndsWith('b') && char.IsLetter(s[^2]))
            s = s[..^1];
        long multiplier = 1;
        if (s.Length > 0 && char.IsLetter(s[^1]))
        {
            multiplier = s[^1] switch
            {
                'b' => 1,
                'k' => 1L << 10,
                'm' => 1L << 20,
                'g' => 1L << 30,
                't' => 1L << 40,
                'p' => 1L << 50,
                _ => 0,
            };
            s = s[..^1];
        }
        if (multiplier == 0 || !double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || value < 0)
            throw BerthException.InvalidArgument($"invalid {what}: invalid size: '{text}'");
        return (long)(value * multiplier);
    }
}
