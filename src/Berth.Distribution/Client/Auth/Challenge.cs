namespace Berth.Distribution.Client.Auth;

/// <summary>
/// One challenge of a <c>WWW-Authenticate</c> header (RFC 7235): a scheme (<c>Bearer</c>,
/// <c>Basic</c>) and its parameters (<c>realm</c>, <c>service</c>, <c>scope</c>, <c>error</c>).
/// The header comes from the registry and is untrusted: <see cref="Parse"/> reads at most
/// <see cref="MaxLength"/> characters and <see cref="MaxParameters"/> parameters, accepts quoted
/// and token values, backslash escapes and several challenges separated by commas, and never
/// throws: what it cannot read is left out.
/// </summary>
public sealed record Challenge(string Scheme, IReadOnlyDictionary<string, string> Parameters)
{
    public const int MaxLength = 8 * 1024;
    public const int MaxParameters = 32;

    public string? Realm => Parameters.GetValueOrDefault("realm");

    public string? Service => Parameters.GetValueOrDefault("service");

    public string? Scope => Parameters.GetValueOrDefault("scope");

    public bool IsBearer => Scheme.Equals("bearer", StringComparison.OrdinalIgnoreCase);

    public bool IsBasic => Scheme.Equals("basic", StringComparison.OrdinalIgnoreCase);

    /// <summary>Every challenge in one header value, in order.</summary>
    public static IReadOnlyList<Challenge> Parse(string? header)
    {
        var challenges = new List<Challenge>();
        if (string.IsNullOrEmpty(header) || header.Length > MaxLength)
            return challenges;
        var s = header.AsSpan();
        var i = 0;
        string? scheme = null;
        var parameters = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        while (i < s.Length)
        {
            SkipSpaceAndCommas(s, ref i);
            var start = i;
            while (i < s.Length && IsTokenChar(s[i]))
                i++;
            if (i == start)
            {
                i++; // a stray character: skip it
                continue;
            }
            var token = s[start..i].ToString();
            var afterToken = i;
            SkipSpace(s, ref i);
            if (i < s.Length && s[i] == '=' && scheme is not null)
            {
                i++;
                SkipSpace(s, ref i);
                var value = ReadValue(s, ref i);
                if (parameters.Count < MaxParameters)
                    parameters[token] = value;
                continue;
            }
            // A token not followed by '=' starts a new challenge (token68 values are not used by registries).
            if (scheme is not null)
                challenges.Add(new Challenge(scheme, parameters));
            scheme = token;
            parameters = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            i = afterToken;
        }
        if (scheme is not null)
            challenges.Add(new Challenge(scheme, parameters));
        return challenges;
    }

    private static string ReadValue(ReadOnlySpan<char> s, ref int i)
    {
        if (i < s.Length && s[i] == '"')
        {
            i++;
            var value = new System.Text.StringBuilder();
            while (i < s.Length && s[i] != '"')
            {
                if (s[i] == '\\' && i + 1 < s.Length)
                    i++;
                value.Append(s[i]);
                i++;
            }
            i++; // the closing quote (or the end)
            return value.ToString();
        }
        var start = i;
        while (i < s.Length && s[i] != ',' && !char.IsWhiteSpace(s[i]))
            i++;
        return s[start..i].ToString();
    }

    private static void SkipSpace(ReadOnlySpan<char> s, ref int i)
    {
        while (i < s.Length && char.IsWhiteSpace(s[i]))
            i++;
    }

    private static void SkipSpaceAndCommas(ReadOnlySpan<char> s, ref int i)
    {
        while (i < s.Length && (char.IsWhiteSpace(s[i]) || s[i] == ','))
            i++;
    }

    private static bool IsTokenChar(char c) =>
        char.IsAsciiLetterOrDigit(c) || c is '!' or '#' or '$' or '%' or '&' or '\'' or '*' or '+' or '-' or '.' or '^' or '_' or '`' or '|' or '~';
}
