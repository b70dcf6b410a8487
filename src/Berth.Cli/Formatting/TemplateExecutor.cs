using System.Text;
using System.Text.Json;

namespace Berth.Cli.Formatting;

/// <summary>
/// Walks a parse tree over a data value, writing output, as Go's text/template exec does.
/// Failures throw <see cref="TemplateExecException"/> carrying Go's full message with the
/// position: <c>template: :1:2: executing "" at &lt;.Nope&gt;: can't evaluate field Nope</c>.
/// </summary>
internal sealed class TemplateExecutor(string text, StringBuilder output, bool strictFields, bool header)
{
    private enum Flow { Normal, Break, Continue }

    private readonly List<(string Name, object? Value)> _vars = [];

    public void Execute(ListNode root, object? data)
    {
        _vars.Clear();
        _vars.Add(("$", data));
        Walk(data, root);
    }

    private Flow Walk(object? dot, TemplateNode node)
    {
        switch (node)
        {
            case ListNode list:
                foreach (var n in list.Nodes)
                {
                    var flow = Walk(dot, n);
                    if (flow != Flow.Normal)
                    {
                        return flow;
                    }
                }
                return Flow.Normal;
            case TextNode t:
                output.Append(t.Text);
                return Flow.Normal;
            case ActionNode a:
                var value = EvalPipeline(dot, a.Pipe);
                if (a.Pipe.Decl.Count == 0)
                {
                    // A missing map key or JSON null is Go's invalid value: "<no value>".
                    output.Append(value is null ? "<no value>" : GoValue.Print(value));
                }
                return Flow.Normal;
            case BranchNode { Kind: BranchKind.Range } r:
                return Range(dot, r);
            case BranchNode b:
                var mark = _vars.Count;
                var v = EvalPipeline(dot, b.Pipe);
                var flowOut = Flow.Normal;
                if (GoValue.IsTrue(v))
                {
                    flowOut = Walk(b.Kind == BranchKind.With ? v : dot, b.List);
                }
                else if (b.Else is { } e)
                {
                    flowOut = Walk(dot, e);
                }
                _vars.RemoveRange(mark, _vars.Count - mark);
                return flowOut;
            case BreakNode:
                return Flow.Break;
            case ContinueNode:
                return Flow.Continue;
            default:
                throw new InvalidOperationException("unknown node " + node.GetType().Name);
        }
    }

    private Flow Range(object? dot, BranchNode r)
    {
        var mark = _vars.Count;
        var collection = EvalCommands(dot, r.Pipe);
        var items = new List<(object? Key, object? Value)>();
        switch (collection)
        {
            case null:
                break;
            case JsonElement { ValueKind: JsonValueKind.Array } a:
                var i = 0L;
                foreach (var e in a.EnumerateArray())
                {
                    items.Add((i++, GoValue.FromJson(e)));
                }
                break;
            case JsonElement { ValueKind: JsonValueKind.Object } o:
                // Go ranges over a map in sorted key order.
                items.AddRange(GoValue.SortedMembers(o).Select(m => ((object?)m.Key, GoValue.FromJson(m.Value))));
                break;
            case IReadOnlyList<object?> list:
                items.AddRange(list.Select((x, n) => ((object?)(long)n, x)));
                break;
            case long n:
                for (var k = 0L; k < n; k++)
                {
                    items.Add((k, k));
                }
                break;
            default:
                throw Error(r.Pipe, $"range can't iterate over {GoValue.Print(collection)}");
        }
        if (items.Count == 0)
        {
            return r.Else is { } e ? Walk(dot, e) : Flow.Normal;
        }
        foreach (var (key, value) in items)
        {
            if (r.Pipe.Decl.Count == 1)
            {
                _vars.Add((r.Pipe.Decl[0], value));
            }
            else if (r.Pipe.Decl.Count == 2)
            {
                _vars.Add((r.Pipe.Decl[0], key));
                _vars.Add((r.Pipe.Decl[1], value));
            }
            var flow = Walk(value, r.List);
            _vars.RemoveRange(mark, _vars.Count - mark);
            if (flow == Flow.Break)
            {
                break;
            }
        }
        return Flow.Normal;
    }

    private object? EvalPipeline(object? dot, PipeNode pipe)
    {
        var value = EvalCommands(dot, pipe);
        foreach (var name in pipe.Decl)
        {
            if (pipe.IsAssign)
            {
                var i = _vars.FindLastIndex(x => x.Name == name);
                _vars[i] = (name, value);
            }
            else
            {
                _vars.Add((name, value));
            }
        }
        return value;
    }

    private object? EvalCommands(object? dot, PipeNode pipe)
    {
        object? value = null;
        var hasFinal = false;
        foreach (var cmd in pipe.Commands)
        {
            value = EvalCommand(dot, cmd, value, hasFinal);
            hasFinal = true;
        }
        return value;
    }

    private object? EvalCommand(object? dot, CommandNode cmd, object? final, bool hasFinal)
    {
        var first = cmd.Args[0];
        if (first is IdentifierNode fn)
        {
            var args = new List<object?>();
            var shortCircuit = fn.Name is "and" or "or";
            foreach (var a in cmd.Args.Skip(1))
            {
                var v = EvalArg(dot, a);
                args.Add(v);
                if (shortCircuit && GoValue.IsTrue(v) == (fn.Name == "or"))
                {
                    return v;
                }
            }
            if (hasFinal)
            {
                args.Add(final);
            }
            return Call(cmd, fn.Name, args);
        }
        if (cmd.Args.Count > 1 || hasFinal)
        {
            var what = first is FieldNode or ChainNode ? $"{first.Source} is not a method but has arguments" : $"can't give argument to non-function {first.Source}";
            throw Error(cmd, what);
        }
        return EvalArg(dot, first);
    }

    private object? Call(CommandNode cmd, string name, List<object?> args)
    {
        try
        {
            return TemplateFunctions.Call(name, args, header);
        }
        catch (TemplateExecException e)
        {
            throw Error(cmd, e.Message);
        }
    }

    private object? EvalArg(object? dot, ArgNode arg) => arg switch
    {
        DotNode => dot,
        VariableNode v => _vars[_vars.FindLastIndex(x => x.Name == v.Name)].Value,
        FieldNode f => EvalFields(dot, f.Names, f),
        ChainNode c => EvalFields(EvalArg(dot, c.Receiver), c.Names, c),
        LiteralNode l => l.Value,
        SubPipeNode p => EvalPipeline(dot, p.Pipe),
        IdentifierNode i => Call(new CommandNode(i.Pos, i.Name, [i]), i.Name, []),
        _ => throw new InvalidOperationException("unknown argument " + arg.GetType().Name),
    };

    private object? EvalFields(object? receiver, string[] names, ArgNode node)
    {
        foreach (var name in names)
        {
            switch (receiver)
            {
                case JsonElement { ValueKind: JsonValueKind.Object } o:
                    if (o.TryGetProperty(name, out var v))
                    {
                        receiver = GoValue.FromJson(v);
                    }
                    else if (strictFields)
                    {
                        throw Error(node, $"can't evaluate field {name}");
                    }
                    else
                    {
                        receiver = null;
                    }
                    break;
                case null:
                    if (strictFields)
                    {
                        throw Error(node, $"nil pointer evaluating interface {{}}.{name}");
                    }
                    break;
                default:
                    throw Error(node, $"can't evaluate field {name} in type {GoValue.TypeName(receiver)}");
            }
        }
        return receiver;
    }

    private TemplateExecException Error(TemplateNode node, string message)
    {
        var source = node switch { ArgNode a => a.Source, CommandNode c => c.Source, PipeNode p => p.Source, _ => "" };
        var before = text.AsSpan(0, node.Pos);
        var line = 1 + before.Count('\n');
        var lastNewline = before.LastIndexOf('\n');
        var column = lastNewline < 0 ? node.Pos : node.Pos - lastNewline - 1;
        return new TemplateExecException($"template: :{line}:{column}: executing \"\" at <{source}>: {message}");
    }
}
