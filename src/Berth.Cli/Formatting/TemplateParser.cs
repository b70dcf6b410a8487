namespace Berth.Cli.Formatting;

/// <summary>
/// Builds the parse tree of a template from the lexer's tokens, following Go's text/template
/// grammar: actions, pipelines, <c>if</c>/<c>range</c>/<c>with</c> with <c>else</c> (and
/// <c>else if</c>), <c>break</c>/<c>continue</c>, variables. Unknown functions, undeclared
/// variables and unbalanced control structures throw <see cref="TemplateSyntaxException"/>,
/// as Go rejects them at parse time.
/// </summary>
internal sealed class TemplateParser
{
    private readonly string _text;
    private readonly List<Token> _t;
    private readonly List<string> _vars = ["$"];
    private int _p;
    private int _rangeDepth;

    private TemplateParser(string text)
    {
        _text = text;
        _t = TemplateLexer.Lex(text);
    }

    public static ListNode Parse(string text)
    {
        var parser = new TemplateParser(text);
        var list = parser.ParseList(out var stop);
        if (stop is { } s)
        {
            throw new TemplateSyntaxException(s.Pos, $"unexpected {{{{{s.Text}}}}}");
        }
        return list;
    }

    private Token Peek => _t[_p];

    private Token Next() => _t[_p++];

    private void SkipSpace()
    {
        while (Peek.Kind == TokenKind.Space)
        {
            _p++;
        }
    }

    private Token Expect(TokenKind kind, string context)
    {
        SkipSpace();
        var t = Next();
        if (t.Kind != kind)
        {
            throw Unexpected(t, context);
        }
        return t;
    }

    private static TemplateSyntaxException Unexpected(Token t, string context) => t.Kind switch
    {
        TokenKind.Eof => new(t.Pos, "unexpected EOF"),
        TokenKind.RightDelim => new(t.Pos, $"unexpected \"}}}}\" in {context}"),
        _ => new(t.Pos, $"unexpected \"{t.Text}\" in {context}"),
    };

    // Parses until EOF or an {{else}} / {{end}}, whose keyword token is returned in stop
    // (the rest of that action is left for the caller).
    private ListNode ParseList(out Token? stop)
    {
        var nodes = new List<TemplateNode>();
        var pos = Peek.Pos;
        while (true)
        {
            var t = Next();
            switch (t.Kind)
            {
                case TokenKind.Eof:
                    _p--;
                    stop = null;
                    return new ListNode(pos, nodes);
                case TokenKind.Text:
                    nodes.Add(new TextNode(t.Pos, (string)t.Value!));
                    continue;
                case TokenKind.LeftDelim:
                    SkipSpace();
                    var k = Peek;
                    if (k.Kind == TokenKind.Keyword)
                    {
                        _p++;
                        switch (k.Text)
                        {
                            case "else" or "end":
                                stop = k;
                                return new ListNode(pos, nodes);
                            case "if":
                                nodes.Add(ParseBranch(BranchKind.If, k.Pos));
                                continue;
                            case "range":
                                nodes.Add(ParseBranch(BranchKind.Range, k.Pos));
                                continue;
                            case "with":
                                nodes.Add(ParseBranch(BranchKind.With, k.Pos));
                                continue;
                            case "break" or "continue":
                                if (_rangeDepth == 0)
                                {
                                    throw new TemplateSyntaxException(k.Pos, $"{{{{{k.Text}}}}} outside {{{{range}}}}");
                                }
                                Expect(TokenKind.RightDelim, k.Text);
                                nodes.Add(k.Text == "break" ? new BreakNode(k.Pos) : new ContinueNode(k.Pos));
                                continue;
                            default:
                                throw new TemplateSyntaxException(k.Pos, $"{{{{{k.Text}}}}} is not supported");
                        }
                    }
                    var pipe = ParsePipeline("command", TokenKind.RightDelim, allowTwoVars: false);
                    Expect(TokenKind.RightDelim, "command");
                    nodes.Add(new ActionNode(pipe.Pos, pipe));
                    continue;
                default:
                    throw Unexpected(t, "input");
            }
        }
    }

    // After the keyword: the pipeline, the body, an optional else, through {{end}}.
    private BranchNode ParseBranch(BranchKind kind, int pos)
    {
        var context = kind.ToString().ToLowerInvariant();
        var mark = _vars.Count;
        var pipe = ParsePipeline(context, TokenKind.RightDelim, allowTwoVars: kind == BranchKind.Range);
        Expect(TokenKind.RightDelim, context);
        if (kind == BranchKind.Range)
        {
            _rangeDepth++;
        }
        var list = ParseList(out var stop);
        if (kind == BranchKind.Range)
        {
            _rangeDepth--;
        }
        ListNode? elseList = null;
        if (stop is null)
        {
            throw new TemplateSyntaxException(_text.Length, "unexpected EOF");
        }
        if (stop.Value.Text == "else")
        {
            SkipSpace();
            if (Peek.Kind == TokenKind.Keyword && (Peek.Text == "if" || Peek.Text == "with"))
            {
                // {{else if x}} … {{end}} is {{else}}{{if x}} … {{end}}{{end}} with one end.
                var inner = Next();
                var chained = ParseBranch(inner.Text == "if" ? BranchKind.If : BranchKind.With, inner.Pos);
                elseList = new ListNode(inner.Pos, [chained]);
            }
            else
            {
                Expect(TokenKind.RightDelim, "else");
                elseList = ParseList(out var endStop);
                if (endStop is not { Text: "end" })
                {
                    throw new TemplateSyntaxException(endStop?.Pos ?? _text.Length,
                        endStop is null ? "unexpected EOF" : $"expected end; found {{{{{endStop.Value.Text}}}}}");
                }
                Expect(TokenKind.RightDelim, "end");
            }
        }
        else
        {
            Expect(TokenKind.RightDelim, "end");
        }
        _vars.RemoveRange(mark, _vars.Count - mark);
        return new BranchNode(pos, kind, pipe, list, elseList);
    }

    private PipeNode ParsePipeline(string context, TokenKind end, bool allowTwoVars)
    {
        SkipSpace();
        var start = Peek.Pos;
        var decl = new List<string>();
        var isAssign = false;
        if (Peek.Kind == TokenKind.Variable && IsDeclaration())
        {
            while (true)
            {
                var v = Next();
                decl.Add(v.Text);
                SkipSpace();
                var op = Next();
                if (op.Kind == TokenKind.Comma)
                {
                    if (!allowTwoVars || decl.Count == 2)
                    {
                        throw new TemplateSyntaxException(op.Pos, $"too many declarations in {context}");
                    }
                    SkipSpace();
                    if (Peek.Kind != TokenKind.Variable)
                    {
                        throw Unexpected(Peek, context);
                    }
                    continue;
                }
                isAssign = op.Kind == TokenKind.Assign;
                break;
            }
            foreach (var name in decl)
            {
                if (isAssign && !_vars.Contains(name))
                {
                    throw new TemplateSyntaxException(start, $"undefined variable \"{name}\"");
                }
                if (!isAssign)
                {
                    _vars.Add(name);
                }
            }
        }
        var commands = new List<CommandNode>();
        while (true)
        {
            SkipSpace();
            if (Peek.Kind == end)
            {
                break;
            }
            commands.Add(ParseCommand(context, end));
            SkipSpace();
            if (Peek.Kind == TokenKind.Pipe)
            {
                _p++;
                continue;
            }
            if (Peek.Kind != end)
            {
                throw Unexpected(Peek, context);
            }
        }
        if (commands.Count == 0)
        {
            throw new TemplateSyntaxException(start, $"missing value for {context}");
        }
        var tail = commands[^1];
        return new PipeNode(start, _text[start..(tail.Pos + tail.Source.Length)], isAssign, decl, commands);
    }

    // $x := …, $x = …, or $i, $e := … ahead?
    private bool IsDeclaration()
    {
        var i = _p + 1;
        while (_t[i].Kind == TokenKind.Space)
        {
            i++;
        }
        return _t[i].Kind is TokenKind.Declare or TokenKind.Assign or TokenKind.Comma;
    }

    private CommandNode ParseCommand(string context, TokenKind end)
    {
        var args = new List<ArgNode>();
        var start = Peek.Pos;
        Token last;
        while (true)
        {
            args.Add(ParseOperand(context));
            last = _t[_p - 1];
            var t = Peek;
            if (t.Kind == TokenKind.Space)
            {
                SkipSpace();
                if (Peek.Kind == end || Peek.Kind == TokenKind.Pipe)
                {
                    break;
                }
                continue;
            }
            if (t.Kind == end || t.Kind == TokenKind.Pipe)
            {
                break;
            }
            throw Unexpected(t, "operand");
        }
        return new CommandNode(start, Source(start, last), args);
    }

    private ArgNode ParseOperand(string context)
    {
        var term = ParseTerm(context);
        var names = new List<string>();
        while (Peek.Kind == TokenKind.Field)
        {
            names.Add((string)Next().Value!);
        }
        if (names.Count == 0)
        {
            return term;
        }
        var source = Source(term.Pos, _t[_p - 1]);
        return term switch
        {
            FieldNode f => new FieldNode(f.Pos, source, [.. f.Names, .. names]),
            VariableNode or SubPipeNode or ChainNode => new ChainNode(term.Pos, source, term, [.. names]),
            _ => throw new TemplateSyntaxException(term.Pos, $"unexpected . after term \"{term.Source}\""),
        };
    }

    private ArgNode ParseTerm(string context)
    {
        var t = Next();
        switch (t.Kind)
        {
            case TokenKind.Identifier:
                if (!TemplateFunctions.IsDefined(t.Text))
                {
                    throw new TemplateSyntaxException(t.Pos, $"function \"{t.Text}\" not defined");
                }
                return new IdentifierNode(t.Pos, t.Text);
            case TokenKind.Dot:
                return new DotNode(t.Pos);
            case TokenKind.Nil:
                return new LiteralNode(t.Pos, "nil", null);
            case TokenKind.Variable:
                if (!_vars.Contains(t.Text))
                {
                    throw new TemplateSyntaxException(t.Pos, $"undefined variable \"{t.Text}\"");
                }
                return new VariableNode(t.Pos, t.Text);
            case TokenKind.Field:
                return new FieldNode(t.Pos, t.Text, [(string)t.Value!]);
            case TokenKind.Bool or TokenKind.Number or TokenKind.String:
                return new LiteralNode(t.Pos, t.Text, t.Value);
            case TokenKind.LeftParen:
                var pipe = ParsePipeline("parenthesized pipeline", TokenKind.RightParen, allowTwoVars: false);
                var close = Expect(TokenKind.RightParen, "parenthesized pipeline");
                return new SubPipeNode(t.Pos, Source(t.Pos, close), pipe);
            default:
                throw Unexpected(t, context == "command" ? "operand" : context);
        }
    }

    private string Source(int start, Token last) => _text[start..(last.Pos + last.Text.Length)];
}
