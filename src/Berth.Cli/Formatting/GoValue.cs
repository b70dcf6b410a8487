using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Berth.Cli.Formatting;

/// <summary>
/// The values a template works with, and how Go's fmt prints them. A value is one of:
/// <c>null</c> (Go's nil / a missing map key), <c>string</c>, <c>long</c>, <c>double</c>,
/// <c>bool</c>, a <see cref="JsonElement"/> that is an array or an object (a slice or a map),
/// or an <see cref="IReadOnlyList{T}"/> of values (what <c>split</c> returns).
/// </summary>
internal static class GoValue
{
    /// <summary>Turns JSON scalars into their CLR form; arrays and objects stay JSON.</summary>
    public static object? FromJson(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.String => e.GetString(),
        JsonValueKind.Number => NumberOf(e),
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        JsonValueKind.Null or JsonValueKind.Undefined => null,
        _ => e,
    };

    private static object NumberOf(JsonElement e)
    {
        var raw = e.GetRawText();
        if (raw.IndexOfAny(['.', 'e', 'E']) < 0 && e.TryGetInt64(out var l))
        {
            return l;
        }
        return e.GetDouble();
    }

    /// <summary>Go's fmt <c>%v</c> of the value; nil prints as <c>&lt;nil&gt;</c>.</summary>
    public static string Print(object? v)
    {
        var sb = new StringBuilder();
        Print(sb, v);
        return sb.ToString();
    }

    private static void Print(StringBuilder sb, object? v)
    {
        switch (v)
        {
            case null:
                sb.Append("<nil>");
                break;
            case string s:
                sb.Append(s);
                break;
            case bool b:
                sb.Append(b ? "true" : "false");
                break;
            case long l:
                sb.Append(l.ToString(CultureInfo.InvariantCulture));
                break;
            case double d:
                sb.Append(GoFloat.FormatV(d));
                break;
            case JsonElement { ValueKind: JsonValueKind.Array } a:
                sb.Append('[');
                var first = true;
                foreach (var item in a.EnumerateArray())
                {
                    if (!first)
                    {
                        sb.Append(' ');
                    }
                    first = false;
                    Print(sb, FromJson(item));
                }
                sb.Append(']');
                break;
            case JsonElement { ValueKind: JsonValueKind.Object } o:
                // Go's fmt prints a map with its keys sorted.
                sb.Append("map[");
                var firstKey = true;
                foreach (var (key, value) in SortedMembers(o))
                {
                    if (!firstKey)
                    {
                        sb.Append(' ');
                    }
                    firstKey = false;
                    sb.Append(key).Append(':');
                    Print(sb, FromJson(value));
                }
                sb.Append(']');
                break;
            case JsonElement e:
                Print(sb, FromJson(e));
                break;
            case IReadOnlyList<object?> list:
                sb.Append('[');
                for (var i = 0; i < list.Count; i++)
                {
                    if (i > 0)
                    {
                        sb.Append(' ');
                    }
                    Print(sb, list[i]);
                }
                sb.Append(']');
                break;
            default:
                sb.Append(Convert.ToString(v, CultureInfo.InvariantCulture));
                break;
        }
    }

    /// <summary>An object's members in Go's map order: keys sorted bytewise; a repeated key keeps its last value.</summary>
    public static List<(string Key, JsonElement Value)> SortedMembers(JsonElement o)
    {
        var byKey = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var p in o.EnumerateObject())
        {
            byKey[p.Name] = p.Value;
        }
        var list = byKey.Select(kv => (kv.Key, kv.Value)).ToList();
        list.Sort((x, y) => string.CompareOrdinal(x.Key, y.Key));
        return list;
    }

    /// <summary>Go's template truth: false, 0, "", nil and empty collections are false.</summary>
    public static bool IsTrue(object? v) => v switch
    {
        null => false,
        bool b => b,
        string s => s.Length > 0,
        long l => l != 0,
        double d => d != 0,
        JsonElement { ValueKind: JsonValueKind.Array } a => a.GetArrayLength() > 0,
        JsonElement { ValueKind: JsonValueKind.Object } o => o.EnumerateObject().Any(),
        IReadOnlyList<object?> list => list.Count > 0,
        _ => true,
    };

    /// <summary>The Go type name used in error messages and in printf's <c>%!d(type=value)</c>.</summary>
    public static string TypeName(object? v) => v switch
    {
        null => "<nil>",
        string => "string",
        bool => "bool",
        long => "int",
        double => "float64",
        JsonElement { ValueKind: JsonValueKind.Object } => "map[string]interface {}",
        JsonElement or IReadOnlyList<object?> => "[]interface {}",
        _ => v.GetType().Name,
    };

    /// <summary>Go's strconv.Quote: double quotes, Go escapes, printable runes kept as they are.</summary>
    public static string Quote(string s)
    {
        var sb = new StringBuilder(s.Length + 2);
        sb.Append('"');
        foreach (var r in s.EnumerateRunes())
        {
            switch (r.Value)
            {
                case '"': sb.Append("\\\""); break;
                case '\\': sb.Append("\\\\"); break;
                case '\a': sb.Append("\\a"); break;
                case '\b': sb.Append("\\b"); break;
                case '\f': sb.Append("\\f"); break;
                case '\n': sb.Append("\\n"); break;
                case '\r': sb.Append("\\r"); break;
                case '\t': sb.Append("\\t"); break;
                case '\v': sb.Append("\\v"); break;
                default:
                    if (r.Value < 0x20 || r.Value == 0x7f)
                    {
                        sb.Append("\\x").Append(r.Value.ToString("x2", CultureInfo.InvariantCulture));
                    }
                    else if (Rune.IsControl(r))
                    {
                        sb.Append(r.Value > 0xFFFF ? "\\U" + r.Value.ToString("x8", CultureInfo.InvariantCulture) : "\\u" + r.Value.ToString("x4", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        sb.Append(r.ToString());
                    }
                    break;
            }
        }
        sb.Append('"');
        return sb.ToString();
    }

    /// <summary>The length Go's <c>len</c> gives: UTF-8 bytes of a string, elements of a collection.</summary>
    public static long? Length(object? v) => v switch
    {
        string s => Encoding.UTF8.GetByteCount(s),
        JsonElement { ValueKind: JsonValueKind.Array } a => a.GetArrayLength(),
        JsonElement { ValueKind: JsonValueKind.Object } o => o.EnumerateObject().Count(),
        IReadOnlyList<object?> list => list.Count,
        _ => null,
    };
}
