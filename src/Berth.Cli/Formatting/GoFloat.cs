using System.Globalization;
using System.Numerics;
using System.Text;

namespace Berth.Cli.Formatting;

/// <summary>
/// Formats a double the way Go's strconv does for the verbs docker output relies on:
/// <c>%v</c> (shortest digits, exponent form below 1e-4 and from 1e6: Go prints 1e+06),
/// <c>%.Ng</c>, <c>%.Nf</c> and encoding/json's float form. Rounding to a precision is done
/// on the exact decimal value of the double with ties to even, as strconv does.
/// </summary>
internal static class GoFloat
{
    /// <summary>Go's <c>%v</c> / <c>%g</c> with the shortest digits that round-trip.</summary>
    public static string FormatV(double v) => FormatG(v, -1);

    /// <summary>Go's <c>%.{precision}g</c>; a negative precision means shortest (<c>%g</c>).</summary>
    public static string FormatG(double v, int precision)
    {
        if (Special(v) is { } s)
        {
            return s;
        }
        var shortest = precision < 0;
        var (digits, dp) = shortest ? Shortest(v) : Rounded(v, precision == 0 ? 1 : precision);
        var prec = shortest ? digits.Length : (precision == 0 ? 1 : precision);
        var eprec = prec;
        if (eprec > digits.Length && digits.Length >= dp)
        {
            eprec = digits.Length;
        }
        if (shortest)
        {
            eprec = 6;
        }
        var exp = dp - 1;
        var sign = v < 0 || (v == 0 && double.IsNegative(v)) ? "-" : "";
        if (exp < -4 || exp >= eprec)
        {
            return sign + FormatE(digits, dp, Math.Min(prec, digits.Length) - 1);
        }
        return sign + FormatF(digits, dp, Math.Max((prec > dp ? digits.Length : prec) - dp, 0));
    }

    /// <summary>Go's <c>%.{precision}f</c>.</summary>
    public static string FormatFixed(double v, int precision)
    {
        if (Special(v) is { } s)
        {
            return s;
        }
        var (digits, dp) = RoundedAt(v, precision);
        var sign = v < 0 || (v == 0 && double.IsNegative(v)) ? "-" : "";
        return sign + FormatF(digits, dp, precision);
    }

    /// <summary>A float as Go's encoding/json writes it: fixed notation unless tiny or huge.</summary>
    public static string FormatJson(double v)
    {
        if (double.IsNaN(v) || double.IsInfinity(v))
        {
            throw new ArgumentOutOfRangeException(nameof(v), "json: unsupported value");
        }
        var abs = Math.Abs(v);
        var (digits, dp) = Shortest(v);
        var sign = v < 0 ? "-" : "";
        if (abs != 0 && (abs < 1e-6 || abs >= 1e21))
        {
            var e = FormatE(digits, dp, digits.Length - 1);
            // encoding/json cleans e-09 up to e-9.
            var n = e.Length;
            if (n >= 4 && e[n - 4] == 'e' && e[n - 3] == '-' && e[n - 2] == '0')
            {
                e = e[..(n - 2)] + e[n - 1];
            }
            return sign + e;
        }
        return sign + FormatF(digits, dp, Math.Max(digits.Length - dp, 0));
    }

    private static string? Special(double v) =>
        double.IsNaN(v) ? "NaN" : double.IsPositiveInfinity(v) ? "+Inf" : double.IsNegativeInfinity(v) ? "-Inf" : null;

    // digits d1d2d3… with the decimal point after dp digits: value = 0.d1d2d3… × 10^dp.
    private static (string Digits, int Dp) Shortest(double v)
    {
        if (v == 0)
        {
            return ("0", 1);
        }
        // "R" gives the shortest digits that round-trip, as strconv's shortest mode does.
        return Split(Math.Abs(v).ToString("R", CultureInfo.InvariantCulture));
    }

    private static (string Digits, int Dp) Split(string s)
    {
        var exp = 0;
        var e = s.IndexOfAny(['E', 'e']);
        if (e >= 0)
        {
            exp = int.Parse(s.AsSpan(e + 1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
            s = s[..e];
        }
        var point = s.IndexOf('.');
        var intPart = point >= 0 ? s[..point] : s;
        var frac = point >= 0 ? s[(point + 1)..] : "";
        var digits = (intPart + frac).TrimStart('0');
        var dp = intPart.TrimStart('0').Length + exp;
        if (intPart.TrimStart('0').Length == 0)
        {
            // 0.000123: leading zeros of the fraction move the point left.
            var lead = frac.Length - frac.TrimStart('0').Length;
            dp = -lead + exp;
        }
        digits = digits.TrimEnd('0');
        return digits.Length == 0 ? ("0", 1) : (digits, dp);
    }

    // The exact decimal expansion of |v|.
    private static (string Digits, int Dp) Exact(double v)
    {
        var bits = BitConverter.DoubleToInt64Bits(Math.Abs(v));
        var exponent = (int)((bits >> 52) & 0x7FF);
        var mantissa = bits & 0xFFFFFFFFFFFFFL;
        if (exponent == 0)
        {
            exponent = 1;
        }
        else
        {
            mantissa |= 1L << 52;
        }
        exponent -= 1075;
        if (mantissa == 0)
        {
            return ("0", 1);
        }
        string text;
        int dp;
        if (exponent >= 0)
        {
            text = (new BigInteger(mantissa) << exponent).ToString(CultureInfo.InvariantCulture);
            dp = text.Length;
        }
        else
        {
            text = (new BigInteger(mantissa) * BigInteger.Pow(5, -exponent)).ToString(CultureInfo.InvariantCulture);
            dp = text.Length + exponent;
        }
        var trimmed = text.TrimEnd('0');
        return (trimmed, dp);
    }

    // |v| rounded to n significant digits, ties to even; trailing zeros trimmed.
    private static (string Digits, int Dp) Rounded(double v, int n)
    {
        var (digits, dp) = Exact(v);
        return Round(digits, dp, n);
    }

    // |v| rounded to `decimals` digits after the point.
    private static (string Digits, int Dp) RoundedAt(double v, int decimals)
    {
        var (digits, dp) = Exact(v);
        if (digits == "0")
        {
            return ("0", 1);
        }
        return Round(digits, dp, dp + decimals);
    }

    private static (string Digits, int Dp) Round(string digits, int dp, int n)
    {
        if (n < 0)
        {
            return ("0", 1);
        }
        if (digits.Length <= n)
        {
            return (digits, dp);
        }
        bool up;
        if (digits[n] != '5' || n + 1 < digits.Length)
        {
            up = digits[n] >= '5';
        }
        else
        {
            up = n > 0 && (digits[n - 1] - '0') % 2 == 1;
        }
        var kept = new StringBuilder(digits[..n]);
        if (up)
        {
            var i = n - 1;
            while (i >= 0 && kept[i] == '9')
            {
                kept[i] = '0';
                i--;
            }
            if (i < 0)
            {
                kept.Insert(0, '1');
                dp++;
            }
            else
            {
                kept[i]++;
            }
        }
        var result = kept.ToString().TrimEnd('0');
        return result.Length == 0 ? ("0", 1) : (result, dp);
    }

    private static string FormatE(string digits, int dp, int prec)
    {
        var sb = new StringBuilder();
        sb.Append(digits[0]);
        if (prec > 0)
        {
            sb.Append('.');
            for (var i = 1; i <= prec; i++)
            {
                sb.Append(i < digits.Length ? digits[i] : '0');
            }
        }
        var exp = digits == "0" ? 0 : dp - 1;
        sb.Append('e').Append(exp < 0 ? '-' : '+');
        var abs = Math.Abs(exp);
        if (abs < 10)
        {
            sb.Append('0');
        }
        sb.Append(abs.ToString(CultureInfo.InvariantCulture));
        return sb.ToString();
    }

    private static string FormatF(string digits, int dp, int prec)
    {
        var sb = new StringBuilder();
        if (dp > 0)
        {
            for (var i = 0; i < dp; i++)
            {
                sb.Append(i < digits.Length ? digits[i] : '0');
            }
        }
        else
        {
            sb.Append('0');
        }
        if (prec > 0)
        {
            sb.Append('.');
            for (var i = 0; i < prec; i++)
            {
                var j = dp + i;
                sb.Append(j >= 0 && j < digits.Length ? digits[j] : '0');
            }
        }
        return sb.ToString();
    }
}
