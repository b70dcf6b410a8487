using System.Text;
using Berth.Errdefs;

namespace Berth.Build.Expansion;

/// <summary>
/// Docker's Dockerfile word expansion (the builder's shell lexer, not a shell): <c>$VAR</c>,
/// <c>${VAR}</c>, the modifiers <c>:-</c> <c>-</c> <c>:+</c> <c>+</c> <c>:?</c> <c>?</c> with
/// nested expansion in their word, single quotes (literal), double quotes (expanded, removed)
/// and the escape character (<c>\</c>, or <c>`</c> under <c># escape=`</c>).
/// </summary>
public static class WordExpander
{
    /// <summary>The instructions whose arguments the builder expands (ONBUILD's only when triggered).</summary>
    private static readonly HashSet<string> Expanding = new(StringComparer.OrdinalIgnoreCase)
    {
        "ADD", "ARG", "COPY", "ENV", "EXPOSE", "FROM", "LABEL", "STOPSIGNAL", "USER", "VOLUME", "WORKDIR",
    };

    /// <summary>
    /// Whether the builder expands variables in <paramref name="instruction"/>'s arguments, as docker
    /// does: ADD ARG COPY ENV EXPOSE FROM LABEL STOPSIGNAL USER VOLUME WORKDIR. RUN, CMD and
    /// ENTRYPOINT are left to the shell in the container; ONBUILD's trigger is expanded only when it
    /// runs in the child build, as the instruction it wraps.
    /// </summary>
    public static bool ExpandsVariables(string instruction)
    {
        ArgumentNullException.ThrowIfNull(instruction);
        return Expanding.Contains(instruction.Trim());
    }

    /// <summary>Expands one word: the variables replaced, the quotes and escapes removed.</summary>
    /// <exception cref="BerthException">InvalidArgument: bad substitution, an unterminated quote or
    /// <c>${</c>, or a <c>${VAR?msg}</c> whose variable is unset.</exception>
    public static string Expand(string word, Func<string, string?> lookup, char escape = '\\')
    {
        ArgumentNullException.ThrowIfNull(word);
        ArgumentNullException.ThrowIfNull(lookup);
        var lexer = new Lexer(word, lookup, escape, null);
        return lexer.Run();
    }

    /// <summary>
    /// Expands <paramref name="text"/> and splits it into words at unquoted, unescaped whitespace, as
    /// docker does for EXPOSE, VOLUME, ENV key=value lists and the like. The value of an unquoted
    /// variable is split too; a quoted one (<c>"$VAR"</c>) stays one word.
    /// </summary>
    public static IReadOnlyList<string> ExpandWords(string text, Func<string, string?> lookup, char escape = '\\')
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(lookup);
        var words = new Words();
        var lexer = new Lexer(text, lookup, escape, words);
        lexer.Run();
        return words.Finish();
    }

    /// <summary>Collects words: whitespace splits unless it is raw (quoted, escaped).</summary>
    private sealed class Words
    {
        private readonly List<string> _words = [];
        private readonly StringBuilder _current = new();
        private bool _inWord;

        public void Add(char c)
        {
            if (char.IsWhiteSpace(c))
            {
                if (_inWord)
                {
                    _words.Add(_current.ToString());
                    _current.Clear();
                    _inWord = false;
                }
                return;
            }
            _current.Append(c);
            _inWord = true;
        }

        public void Add(string s)
        {
            foreach (var c in s)
                Add(c);
        }

        public void AddRaw(char c)
        {
            _current.Append(c);
            _inWord = true;
        }

        public void AddRaw(string s)
        {
            foreach (var c in s)
                AddRaw(c);
        }

        public IReadOnlyList<string> Finish()
        {
            if (_inWord)
            {
                _words.Add(_current.ToString());
                _current.Clear();
                _inWord = false;
            }
            return _words;
        }
    }

    private sealed class Lexer(string text, Func<string, string?> lookup, char escape, Words? words)
    {
        private const string SpecialParameters = "@*#?-$!";
        private int _pos;

        private bool AtEnd => _pos >= text.Length;

        private char Peek() => text[_pos];

        public string Run()
        {
            var result = ProcessUntil(null, words);
            return result;
        }

        /// <summary>
        /// Reads up to <paramref name="stop"/> (consumed) or the end of the text. Only the top level
        /// feeds <paramref name="sink"/>; a modifier's word is a plain string to its caller.
        /// </summary>
        private string ProcessUntil(char? stop, Words? sink)
        {
            var result = new StringBuilder();
            while (!AtEnd)
            {
                var c = Peek();
                if (stop is { } s && c == s)
                {
                    _pos++;
                    return result.ToString();
                }
                switch (c)
                {
                    case '\'':
                    {
                        var quoted = SingleQuoted();
                        result.Append(quoted);
                        sink?.AddRaw(quoted);
                        continue;
                    }
                    case '"':
                    {
                        var quoted = DoubleQuoted();
                        result.Append(quoted);
                        sink?.AddRaw(quoted);
                        continue;
                    }
                    case '$':
                    {
                        var value = Dollar();
                        result.Append(value);
                        sink?.Add(value);
                        continue;
                    }
                }
                _pos++;
                if (c == escape)
                {
                    // The escape character takes the next character literally; at the end it is dropped.
                    if (AtEnd)
                        break;
                    c = text[_pos++];
                    result.Append(c);
                    sink?.AddRaw(c);
                    continue;
                }
                result.Append(c);
                sink?.Add(c);
            }
            if (stop is not null)
                throw BerthException.InvalidArgument(
                    $"failed to process \"{text}\": syntax error: missing '}}'");
            return result.ToString();
        }

        private string SingleQuoted()
        {
            _pos++; // the opening quote
            var start = _pos;
            var end = text.IndexOf('\'', start);
            if (end < 0)
                throw BerthException.InvalidArgument(
                    $"failed to process \"{text}\": unexpected end of statement while looking for matching single-quote");
            _pos = end + 1;
            return text[start..end];
        }

        private string DoubleQuoted()
        {
            _pos++; // the opening quote
            var result = new StringBuilder();
            while (!AtEnd)
            {
                var c = Peek();
                if (c == '"')
                {
                    _pos++;
                    return result.ToString();
                }
                if (c == '$')
                {
                    result.Append(Dollar());
                    continue;
                }
                _pos++;
                if (c == escape && !AtEnd)
                {
                    // Inside double quotes only ", $ and the escape character itself can be escaped;
                    // any other escape stays as written.
                    var next = Peek();
                    if (next == '"' || next == '$' || next == escape)
                    {
                        _pos++;
                        c = next;
                    }
                }
                result.Append(c);
            }
            throw BerthException.InvalidArgument(
                $"failed to process \"{text}\": unexpected end of statement while looking for matching double-quote");
        }

        private string Dollar()
        {
            _pos++; // the '$'
            if (AtEnd || Peek() != '{')
            {
                var bare = Name();
                if (bare.Length == 0)
                    return "$"; // '$' before something that is not a name stays literal
                return lookup(bare) ?? "";
            }

            _pos++; // the '{'
            if (AtEnd)
                throw MissingBrace();
            var name = Name();
            if (name.Length == 0)
                throw BadSubstitution();
            if (AtEnd)
                throw MissingBrace();

            var op = Peek();
            if (op == '}')
            {
                _pos++;
                return lookup(name) ?? "";
            }

            var colon = false;
            if (op == ':')
            {
                colon = true;
                _pos++;
                if (AtEnd)
                    throw MissingBrace();
                op = Peek();
            }
            if (op != '-' && op != '+' && op != '?')
                throw BadSubstitution();
            _pos++;

            // The word is expanded itself (quotes, escapes, nested ${...}) up to the closing brace.
            var word = ProcessUntil('}', null);
            var value = lookup(name);
            var set = colon ? !string.IsNullOrEmpty(value) : value is not null;
            switch (op)
            {
                case '-':
                    return set ? value! : word;
                case '+':
                    return set ? word : "";
                default: // '?'
                    if (set)
                        return value!;
                    var message = word.Length > 0
                        ? word
                        : colon ? "parameter is unset or empty" : "parameter is unset";
                    throw BerthException.InvalidArgument($"failed to process \"{text}\": {name}: {message}");
            }
        }

        /// <summary>
        /// A variable name: letters, digits and '_' not starting with a digit; or a run of digits
        /// (a positional parameter); or one of the shell's special parameters. Empty if none.
        /// </summary>
        private string Name()
        {
            if (AtEnd)
                return "";
            var first = Peek();
            if (char.IsAsciiDigit(first))
            {
                var digitsStart = _pos;
                while (!AtEnd && char.IsAsciiDigit(Peek()))
                    _pos++;
                return text[digitsStart.._pos];
            }
            if (SpecialParameters.Contains(first))
            {
                _pos++;
                return first.ToString();
            }
            var start = _pos;
            while (!AtEnd)
            {
                if (Rune.DecodeFromUtf16(text.AsSpan(_pos), out var rune, out var consumed) != System.Buffers.OperationStatus.Done)
                    break;
                if (!Rune.IsLetterOrDigit(rune) && rune.Value != '_')
                    break;
                _pos += consumed;
            }
            return text[start.._pos];
        }

        private BerthException MissingBrace() =>
            BerthException.InvalidArgument($"failed to process \"{text}\": syntax error: missing '}}'");

        private BerthException BadSubstitution() =>
            BerthException.InvalidArgument($"failed to process \"{text}\": bad substitution");
    }
}
