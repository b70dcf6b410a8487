using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Berth.Cli.Formatting;

/// <summary>
/// The functions a template may call: Go's builtins (<c>and or not len index print printf
/// println eq ne lt le gt ge</c>) and docker's (<c>json split join title lower upper pad
/// truncate</c>). A wrong argument count or type throws <see cref="TemplateExecException"/>
/// with Go's wording; the executor adds the position.
/// </summary>
internal static class TemplateFunctions
{
    private static readonly HashSet<string> Names =
    [
        "and", "or", "not", "len", "index", "print", "printf", "println",
        "eq", "ne", "lt", "le", "gt", "ge",
        "json", "split", "join", "title", "lower", "upper", "pad", "truncate",
    ];

    // docker's header functions: in a table header, these return their first argument.
    private static readonly HashSet<string> HeaderPassThrough =
        ["json", "split", "join", "title", "lower", "upper", "pad", "truncate"];

    public static bool IsDefined(string name) => Names.Contains(name);

    public static object? Call(string name, IReadOnlyList<object?> args, bool header)
    {
        if (header && HeaderPassThrough.Contains(name))
        {
            Want(name, args, Math.Max(args.Count, 1));
            return args[0];
        }
        switch (name)
        {
            case "not":
                Want(name, args, 1);
                return !GoValue.IsTrue(args[0]);
            case "and":
                return args.FirstOrDefault(a => !GoValue.IsTrue(a), args.Count > 0 ? args[^1] : null);
            case "or":
                return args.FirstOrDefault(GoValue.IsTrue, args.Count > 0 ? args[^1] : null);
            case "len":
                Want(name, args, 1);
                return GoValue.Length(args[0]) ??
                    throw Calling(name, args[0] is null ? "len of nil pointer" : $"len of type {GoValue.TypeName(args[0])}");
            case "index":
                return Index(args);
            case "print":
                return Print(args, spaceAlways: false);
            case "println":
                return Print(args, spaceAlways: true) + "\n";
            case "printf":
                if (args.Count == 0)
                {
                    throw new TemplateExecException("wrong number of args for printf: want at least 1 got 0");
                }
                return GoPrintf.Sprintf(Str(args[0]), args.Skip(1).ToList());
            case "eq":
                if (args.Count < 2)
                {
                    throw Calling(name, "missing argument for comparison");
                }
                return args.Skip(1).Any(b => Compare(name, args[0], b) == 0);
            case "ne":
                Want(name, args, 2);
                return Compare(name, args[0], args[1]) != 0;
            case "lt" or "le" or "gt" or "ge":
                Want(name, args, 2);
                var c = Compare(name, args[0], args[1], ordered: true);
                return name switch { "lt" => c < 0, "le" => c <= 0, "gt" => c > 0, _ => c >= 0 };
            case "json":
                Want(name, args, 1);
                return GoJson.Marshal(args[0]);
            case "split":
                Want(name, args, 2);
                return Split(Str(args[0]), Str(args[1]));
            case "join":
                Want(name, args, 2);
                return Join(args[0], Str(args[1]));
            case "title":
                Want(name, args, 1);
                return Title(Str(args[0]));
            case "lower":
                Want(name, args, 1);
                return Str(args[0]).ToLowerInvariant();
            case "upper":
                Want(name, args, 1);
                return Str(args[0]).ToUpperInvariant();
            case "pad":
                Want(name, args, 3);
                return new string(' ', (int)Math.Max(0, Int(args[1]))) + Str(args[0]) + new string(' ', (int)Math.Max(0, Int(args[2])));
            case "truncate":
                Want(name, args, 2);
                return Truncate(Str(args[0]), Int(args[1]));
            default:
                throw new TemplateExecException($"function \"{name}\" not defined");
        }
    }

    private static void Want(string name, IReadOnlyList<object?> args, int n)
    {
        if (args.Count != n)
        {
            throw new TemplateExecException($"wrong number of args for {name}: want {n} got {args.Count}");
        }
    }

    private static TemplateExecException Calling(string name, string message) => new($"error calling {name}: {message}");

    private static string Str(object? v) => v as string ??
        throw new TemplateExecException($"wrong type for value; expected string; got {GoValue.TypeName(v)}");

    private static long Int(object? v) => v switch
    {
        long l => l,
        double d when d == Math.Floor(d) && Math.Abs(d) < 1e15 => (long)d,
        _ => throw new TemplateExecException($"wrong type for value; expected int; got {GoValue.TypeName(v)}"),
    };

    private static object? Index(IReadOnlyList<object?> args)
    {
        if (args.Count == 0)
        {
            throw new TemplateExecException("wrong number of args for index: want at least 1 got 0");
        }
        var item = args[0];
        foreach (var key in args.Skip(1))
        {
            switch (item)
            {
                case null:
                    throw Calling("index", "index of untyped nil");
                case JsonElement { ValueKind: JsonValueKind.Array } a:
                    var i = IndexOf(key, a.GetArrayLength());
                    item = GoValue.FromJson(a[i]);
                    break;
                case IReadOnlyList<object?> list:
                    item = list[IndexOf(key, list.Count)];
                    break;
                case JsonElement { ValueKind: JsonValueKind.Object } o:
                    if (key is not string k)
                    {
                        throw Calling("index", $"value has type {GoValue.TypeName(key)}; should be string");
                    }
                    item = o.TryGetProperty(k, out var v) ? GoValue.FromJson(v) : null;
                    break;
                default:
                    throw Calling("index", $"can't index item of type {GoValue.TypeName(item)}");
            }
        }
        return item;
    }

    private static int IndexOf(object? key, int length)
    {
        if (key is not long l)
        {
            throw Calling("index", $"cannot index slice/array with type {GoValue.TypeName(key)}");
        }
        if (l < 0 || l >= length)
        {
            throw Calling("index", $"index out of range: {l}");
        }
        return (int)l;
    }

    // fmt.Sprint adds a space between operands when neither is a string; Sprintln always.
    private static string Print(IReadOnlyList<object?> args, bool spaceAlways)
    {
        var sb = new StringBuilder();
        for (var i = 0; i < args.Count; i++)
        {
            if (i > 0 && (spaceAlways || (args[i] is not string && args[i - 1] is not string)))
            {
                sb.Append(' ');
            }
            sb.Append(GoValue.Print(args[i]));
        }
        return sb.ToString();
    }

    private static int Compare(string name, object? a, object? b, bool ordered = false)
    {
        switch (a, b)
        {
            case (string x, string y):
                return string.CompareOrdinal(x, y);
            case (long x, long y):
                return x.CompareTo(y);
            case (long or double, long or double):
                return Convert.ToDouble(a, CultureInfo.InvariantCulture).CompareTo(Convert.ToDouble(b, CultureInfo.InvariantCulture));
            case (bool x, bool y) when !ordered:
                return x == y ? 0 : 1;
            case (null, null) when !ordered:
                return 0;
            case (null, _) or (_, null) when !ordered:
                return 1;
        }
        if (!IsBasic(a) || !IsBasic(b) || ordered && (a is bool || b is bool))
        {
            throw Calling(name, ordered ? "invalid type for comparison" : "non-comparable types");
        }
        throw Calling(name, "incompatible types for comparison");
    }

    private static bool IsBasic(object? v) => v is string or long or double or bool;

    private static List<object?> Split(string s, string sep)
    {
        if (sep.Length == 0)
        {
            return s.EnumerateRunes().Select(r => (object?)r.ToString()).ToList();
        }
        return s.Split(sep).Select(p => (object?)p).ToList();
    }

    private static string Join(object? list, string sep) => list switch
    {
        null => "",
        JsonElement { ValueKind: JsonValueKind.Array } a => string.Join(sep, a.EnumerateArray().Select(e => GoValue.Print(GoValue.FromJson(e)))),
        IReadOnlyList<object?> l => string.Join(sep, l.Select(GoValue.Print)),
        _ => throw new TemplateExecException($"wrong type for value; expected []string; got {GoValue.TypeName(list)}"),
    };

    // Go's strings.Title: upper-case the first letter of each word; ASCII letters, digits and
    // '_' continue a word, as do non-space non-ASCII runes that are letters or digits.
    private static string Title(string s)
    {
        var sb = new StringBuilder(s.Length);
        var prevSeparator = true;
        foreach (var r in s.EnumerateRunes())
        {
            sb.Append(prevSeparator ? Rune.ToUpperInvariant(r).ToString() : r.ToString());
            prevSeparator = IsSeparator(r);
        }
        return sb.ToString();
    }

    private static bool IsSeparator(Rune r)
    {
        if (r.Value <= 0x7F)
        {
            return !(char.IsAsciiLetterOrDigit((char)r.Value) || r.Value == '_');
        }
        if (Rune.IsLetterOrDigit(r))
        {
            return false;
        }
        return Rune.IsWhiteSpace(r);
    }

    // docker's truncate keeps the first n characters (Go slices bytes; runes keep UTF-8 whole).
    private static string Truncate(string s, long n)
    {
        if (n < 0)
        {
            throw Calling("truncate", $"slice bounds out of range [:{n}]");
        }
        var runes = s.EnumerateRunes().ToList();
        return runes.Count <= n ? s : string.Concat(runes.Take((int)n).Select(r => r.ToString()));
    }
}

/// <summary>An execution failure without its position; the executor adds docker's prefix.</summary>
internal sealed class TemplateExecException(string message) : Exception(message);
