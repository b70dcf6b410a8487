using System.Globalization;
using System.Text;

namespace Berth.Cli.Formatting;

internal enum TokenKind
{
    Text, LeftDelim, RightDelim, Space, Field, Dot, Variable, Identifier, Keyword,
    Bool, Number, String, Nil, LeftParen, RightParen, Pipe, Declare, Assign, Comma, Eof,
}

/// <summary>One token; <see cref="Value"/> is the unescaped string, the number, or the name.</summary>
internal readonly record struct Token(TokenKind Kind, int Pos, string Text, object? Value = null);

/// <summary>
/// Splits a template into text and action tokens as Go's text/template lexer does, applying
/// the trim markers <c>{{- </c> and <c> -}}</c> and dropping comments. A malformed action
/// (unclosed, bad string or number, unknown character) throws <see cref="TemplateSyntaxException"/>.
/// </summary>
internal sealed class TemplateLexer
{
    private static readonly HashSet<string> Keywords =
        ["if", "else", "end", "range", "with", "break", "continue", "define", "template", "block"];

    private readonly string _s;
    private int _i;
    private readonly List<Token> _tokens = [];

    private TemplateLexer(string s) => _s = s;

    public static List<Token> Lex(string s)
    {
        var lexer = new TemplateLexer(s);
        lexer.Run();
        return lexer._tokens;
    }

    private void Run()
    {
        var trimNextText = false;
        while (_i <= _s.Length)
        {
            var open = _s.IndexOf("{{", _i, StringComparison.Ordinal);
            var end = open < 0 ? _s.Length : open;
            var leftTrim = open >= 0 && HasLeftTrim(open);
            var text = _s[_i..end];
            if (trimNextText)
            {
                text = text.TrimStart(' ', '\t', '\r', '\n');
            }
            if (leftTrim)
            {
                text = text.TrimEnd(' ', '\t', '\r', '\n');
            }
            if (text.Length > 0)
            {
                _tokens.Add(new Token(TokenKind.Text, _i, text, text));
            }
            if (open < 0)
            {
                break;
            }
            _i = open + 2 + (leftTrim ? 2 : 0);
            trimNextText = LexAction(open);
        }
        _tokens.Add(new Token(TokenKind.Eof, _s.Length, ""));
    }

    private bool HasLeftTrim(int open) =>
        open + 3 < _s.Length && _s[open + 2] == '-' && IsSpace(_s[open + 3]);

    // Lexes one action; returns whether it ended with a right trim marker.
    private bool LexAction(int open)
    {
        // A comment: {{/* ... */}}, possibly with trim markers.
        var j = _i;
        if (string.CompareOrdinal(_s, j, "/*", 0, 2) == 0)
        {
            var close = _s.IndexOf("*/", j + 2, StringComparison.Ordinal);
            if (close < 0)
            {
                throw Error(open, "unclosed comment");
            }
            _i = close + 2;
            var trim = false;
            if (_i + 3 <= _s.Length && IsSpace(_s[_i]) && _s[_i + 1] == '-' && _s.AsSpan(_i + 2).StartsWith("}}"))
            {
                trim = true;
                _i += 2;
            }
            if (!_s.AsSpan(_i).StartsWith("}}"))
            {
                throw Error(open, "comment ends before closing delimiter");
            }
            _i += 2;
            return trim;
        }

        _tokens.Add(new Token(TokenKind.LeftDelim, open, "{{"));
        var parenDepth = 0;
        while (true)
        {
            if (_i >= _s.Length)
            {
                throw Error(open, "unclosed action");
            }
            var c = _s[_i];
            if (IsSpace(c))
            {
                var start = _i;
                while (_i < _s.Length && IsSpace(_s[_i]))
                {
                    _i++;
                }
                if (_s.AsSpan(_i).StartsWith("-}}"))
                {
                    _tokens.Add(new Token(TokenKind.RightDelim, _i, "}}"));
                    _i += 3;
                    return true;
                }
                _tokens.Add(new Token(TokenKind.Space, start, _s[start.._i]));
                continue;
            }
            if (_s.AsSpan(_i).StartsWith("}}"))
            {
                _tokens.Add(new Token(TokenKind.RightDelim, _i, "}}"));
                _i += 2;
                return false;
            }
            switch (c)
            {
                case '(':
                    parenDepth++;
                    Single(TokenKind.LeftParen);
                    continue;
                case ')':
                    if (--parenDepth < 0)
                    {
                        throw Error(_i, "unexpected right paren");
                    }
                    Single(TokenKind.RightParen);
                    continue;
                case '|':
                    Single(TokenKind.Pipe);
                    continue;
                case ',':
                    Single(TokenKind.Comma);
                    continue;
                case '=':
                    Single(TokenKind.Assign);
                    continue;
                case ':':
                    if (_i + 1 < _s.Length && _s[_i + 1] == '=')
                    {
                        _tokens.Add(new Token(TokenKind.Declare, _i, ":="));
                        _i += 2;
                        continue;
                    }
                    throw Error(_i, "expected :=");
                case '"':
                    LexQuoted();
                    continue;
                case '`':
                    LexRaw();
                    continue;
                case '\'':
                    LexChar();
                    continue;
                case '$':
                    LexName(TokenKind.Variable, _i + 1);
                    continue;
                case '.':
                    if (_i + 1 < _s.Length && char.IsAsciiDigit(_s[_i + 1]))
                    {
                        LexNumber();
                    }
                    else if (_i + 1 < _s.Length && IsNameChar(_s[_i + 1]))
                    {
                        LexName(TokenKind.Field, _i + 1);
                    }
                    else
                    {
                        Single(TokenKind.Dot);
                    }
                    continue;
            }
            if (char.IsAsciiDigit(c) || ((c == '-' || c == '+') && _i + 1 < _s.Length && char.IsAsciiDigit(_s[_i + 1])))
            {
                LexNumber();
                continue;
            }
            if (IsNameChar(c))
            {
                var start = _i;
                while (_i < _s.Length && IsNameChar(_s[_i]))
                {
                    _i++;
                }
                var word = _s[start.._i];
                var kind = word switch
                {
                    "true" or "false" => TokenKind.Bool,
                    "nil" => TokenKind.Nil,
                    _ when Keywords.Contains(word) => TokenKind.Keyword,
                    _ => TokenKind.Identifier,
                };
                _tokens.Add(new Token(kind, start, word, kind == TokenKind.Bool ? word == "true" : word));
                continue;
            }
            throw Error(_i, $"unrecognized character in action: {Describe(c)}");
        }
    }

    private void Single(TokenKind kind)
    {
        _tokens.Add(new Token(kind, _i, _s[_i].ToString()));
        _i++;
    }

    private void LexName(TokenKind kind, int from)
    {
        var start = _i;
        _i = from;
        while (_i < _s.Length && IsNameChar(_s[_i]))
        {
            _i++;
        }
        _tokens.Add(new Token(kind, start, _s[start.._i], _s[from.._i]));
    }

    private void LexNumber()
    {
        var start = _i;
        if (_s[_i] == '-' || _s[_i] == '+')
        {
            _i++;
        }
        while (_i < _s.Length && (char.IsAsciiLetterOrDigit(_s[_i]) || _s[_i] == '.' || _s[_i] == '_' ||
               ((_s[_i] == '-' || _s[_i] == '+') && (_s[_i - 1] == 'e' || _s[_i - 1] == 'E'))))
        {
            _i++;
        }
        var text = _s[start.._i];
        var clean = text.Replace("_", "", StringComparison.Ordinal);
        object value;
        var negative = clean.StartsWith('-');
        var body = clean.TrimStart('-', '+');
        if (body.StartsWith("0x", StringComparison.OrdinalIgnoreCase) &&
            long.TryParse(body.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var hex))
        {
            value = negative ? -hex : hex;
        }
        else if (long.TryParse(clean, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l))
        {
            value = l;
        }
        else if (double.TryParse(clean, NumberStyles.Float, CultureInfo.InvariantCulture, out var d))
        {
            value = d;
        }
        else
        {
            throw Error(start, $"bad number syntax: \"{text}\"");
        }
        _tokens.Add(new Token(TokenKind.Number, start, text, value));
    }

    private void LexQuoted()
    {
        var start = _i++;
        var sb = new StringBuilder();
        while (true)
        {
            if (_i >= _s.Length || _s[_i] == '\n')
            {
                throw Error(start, "unterminated quoted string");
            }
            var c = _s[_i++];
            if (c == '"')
            {
                break;
            }
            if (c != '\\')
            {
                sb.Append(c);
                continue;
            }
            if (_i >= _s.Length)
            {
                throw Error(start, "unterminated quoted string");
            }
            sb.Append(Escape(start, '"'));
        }
        _tokens.Add(new Token(TokenKind.String, start, _s[start.._i], sb.ToString()));
    }

    private string Escape(int start, char quote)
    {
        var e = _s[_i++];
        switch (e)
        {
            case 'n': return "\n";
            case 't': return "\t";
            case 'r': return "\r";
            case 'a': return "\a";
            case 'b': return "\b";
            case 'f': return "\f";
            case 'v': return "\v";
            case '\\': return "\\";
            case 'x': return char.ConvertFromUtf32(Hex(start, 2));
            case 'u': return char.ConvertFromUtf32(Hex(start, 4));
            case 'U': return char.ConvertFromUtf32(Hex(start, 8));
            case >= '0' and <= '7':
                if (_i + 2 > _s.Length || !IsOctal(_s[_i]) || !IsOctal(_s[_i + 1]))
                {
                    throw Error(start, "invalid syntax");
                }
                var value = ((e - '0') * 64) + ((_s[_i] - '0') * 8) + (_s[_i + 1] - '0');
                _i += 2;
                return ((char)value).ToString();
            default:
                if (e == quote)
                {
                    return e.ToString();
                }
                throw Error(start, "invalid syntax");
        }
    }

    private int Hex(int start, int n)
    {
        if (_i + n > _s.Length ||
            !int.TryParse(_s.AsSpan(_i, n), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var v) ||
            v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF))
        {
            throw Error(start, "invalid syntax");
        }
        _i += n;
        return v;
    }

    private void LexRaw()
    {
        var start = _i++;
        var close = _s.IndexOf('`', _i);
        if (close < 0)
        {
            throw Error(start, "unterminated raw quoted string");
        }
        var value = _s[_i..close];
        _i = close + 1;
        _tokens.Add(new Token(TokenKind.String, start, _s[start.._i], value));
    }

    private void LexChar()
    {
        var start = _i++;
        if (_i >= _s.Length)
        {
            throw Error(start, "unterminated character constant");
        }
        string ch;
        if (_s[_i] == '\\')
        {
            _i++;
            ch = Escape(start, '\'');
        }
        else
        {
            ch = char.IsHighSurrogate(_s[_i]) && _i + 1 < _s.Length ? _s.Substring(_i, 2) : _s[_i].ToString();
            _i += ch.Length;
        }
        if (_i >= _s.Length || _s[_i] != '\'')
        {
            throw Error(start, "unterminated character constant");
        }
        _i++;
        _tokens.Add(new Token(TokenKind.Number, start, _s[start.._i], (long)char.ConvertToUtf32(ch, 0)));
    }

    private TemplateSyntaxException Error(int pos, string message) => new(pos, message);

    private static string Describe(char c) => c < 0x20 || c == 0x7f ? $"U+{(int)c:X4}" : GoValue.Quote(c.ToString()).Replace('"', '\'');

    private static bool IsSpace(char c) => c is ' ' or '\t' or '\r' or '\n';

    private static bool IsOctal(char c) => c is >= '0' and <= '7';

    private static bool IsNameChar(char c) => c == '_' || char.IsLetterOrDigit(c);
}

/// <summary>A template parse failure at a character offset; <see cref="GoTemplate"/> turns it into docker's message.</summary>
internal sealed class TemplateSyntaxException(int pos, string message) : Exception(message)
{
    public int Pos { get; } = pos;
}
