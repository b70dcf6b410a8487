using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Berth.Cli.Formatting;

/// <summary>
/// Go's fmt.Sprintf for the verbs templates use: <c>%v %s %d %q %t %f %g %x %X %%</c> with the
/// flags <c>-</c> and <c>0</c>, a width and a precision. A verb that does not fit its argument
/// prints Go's <c>%!d(string=x)</c>; missing and extra arguments print <c>%!d(MISSING)</c> and
/// <c>%!(EXTRA …)</c>, as Go does, rather than failing.
/// </summary>
internal static class GoPrintf
{
    public static string Sprintf(string format, IReadOnlyList<object?> args)
    {
        var sb = new StringBuilder();
        var next = 0;
        var i = 0;
        while (i < format.Length)
        {
            var c = format[i++];
            if (c != '%')
            {
                sb.Append(c);
                continue;
            }
            var minus = false;
            var zero = false;
            var plus = false;
            for (; i < format.Length && format[i] is '-' or '0' or '+' or ' ' or '#'; i++)
            {
                minus |= format[i] == '-';
                zero |= format[i] == '0';
                plus |= format[i] == '+';
            }
            var width = ReadInt(format, ref i);
            int? precision = null;
            if (i < format.Length && format[i] == '.')
            {
                i++;
                precision = ReadInt(format, ref i) ?? 0;
            }
            if (i >= format.Length)
            {
                sb.Append("%!(NOVERB)");
                break;
            }
            var verb = format[i++];
            if (verb == '%')
            {
                sb.Append('%');
                continue;
            }
            if (next >= args.Count)
            {
                sb.Append("%!").Append(verb).Append("(MISSING)");
                continue;
            }
            var arg = args[next++];
            var text = Format(verb, arg, precision, plus, out var numeric);
            sb.Append(Pad(text, width, minus, zero && numeric && !minus));
        }
        if (next < args.Count)
        {
            sb.Append("%!(EXTRA ");
            sb.AppendJoin(", ", args.Skip(next).Select(a => a is null ? "<nil>" : $"{GoValue.TypeName(a)}={GoValue.Print(a)}"));
            sb.Append(')');
        }
        return sb.ToString();
    }

    private static int? ReadInt(string s, ref int i)
    {
        var start = i;
        while (i < s.Length && char.IsAsciiDigit(s[i]))
        {
            i++;
        }
        return i > start ? int.Parse(s.AsSpan(start, i - start), CultureInfo.InvariantCulture) : null;
    }

    private static string Pad(string text, int? width, bool left, bool zero)
    {
        var w = width ?? 0;
        var n = text.EnumerateRunes().Count();
        if (n >= w)
        {
            return text;
        }
        if (left)
        {
            return text + new string(' ', w - n);
        }
        if (zero)
        {
            var sign = text.StartsWith('-') || text.StartsWith('+') ? text[..1] : "";
            return sign + new string('0', w - n) + text[sign.Length..];
        }
        return new string(' ', w - n) + text;
    }

    private static string Format(char verb, object? arg, int? precision, bool plus, out bool numeric)
    {
        numeric = arg is long or double;
        switch (verb, arg)
        {
            case ('v', _):
                return arg is double dv && precision is { } pv ? GoFloat.FormatG(dv, pv) : Sign(GoValue.Print(arg), plus && numeric);
            case ('s', string s):
                return precision is { } ps ? string.Concat(s.EnumerateRunes().Take(ps)) : s;
            case ('s', JsonElement or IReadOnlyList<object?>):
                return GoValue.Print(arg);
            case ('q', string s):
                return GoValue.Quote(s);
            case ('q', long l) when l is >= 0 and <= 0x10FFFF:
                return "'" + char.ConvertFromUtf32((int)l) + "'";
            case ('d', long l):
                return Sign(l.ToString(CultureInfo.InvariantCulture), plus);
            case ('t', bool b):
                return b ? "true" : "false";
            case ('f' or 'F', double d):
                return Sign(GoFloat.FormatFixed(d, precision ?? 6), plus);
            case ('f' or 'F', long l):
                return Bad(verb, arg);
            case ('g', double d):
                return Sign(GoFloat.FormatG(d, precision ?? -1), plus);
            case ('x', long l):
                return l < 0 ? "-" + (-l).ToString("x", CultureInfo.InvariantCulture) : l.ToString("x", CultureInfo.InvariantCulture);
            case ('X', long l):
                return l < 0 ? "-" + (-l).ToString("X", CultureInfo.InvariantCulture) : l.ToString("X", CultureInfo.InvariantCulture);
            case ('x', string s):
                return Convert.ToHexStringLower(Encoding.UTF8.GetBytes(s));
            case ('X', string s):
                return Convert.ToHexString(Encoding.UTF8.GetBytes(s));
            default:
                return Bad(verb, arg);
        }
    }

    private static string Sign(string s, bool plus) => plus && !s.StartsWith('-') ? "+" + s : s;

    private static string Bad(char verb, object? arg) =>
        arg is null ? $"%!{verb}(<nil>)" : $"%!{verb}({GoValue.TypeName(arg)}={GoValue.Print(arg)})";
}
