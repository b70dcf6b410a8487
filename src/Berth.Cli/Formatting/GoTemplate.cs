using System.Text;
using System.Text.Json;
using Berth.Errdefs;

namespace Berth.Cli.Formatting;

/// <summary>
/// A parsed Go text/template, the language of docker's <c>--format</c>, evaluated over a
/// <see cref="JsonElement"/> (the CLI turns each row or object into JSON first). It supports
/// what docker users write: fields (<c>{{.A.B}}</c>), variables, pipelines, <c>if</c>/
/// <c>else</c>/<c>range</c>/<c>with</c>, <c>break</c>/<c>continue</c>, trim markers, comments,
/// Go's builtins and docker's functions (<c>json split join title lower upper pad truncate</c>).
/// Values print as Go's fmt prints what the JSON would be in Go: integers without ".0", arrays as
/// <c>[a b]</c>, objects as <c>map[k:v]</c> with sorted keys, a JSON null as <c>&lt;no value&gt;</c>.
/// <para>
/// Bad input: <see cref="Parse"/> throws an InvalidArgument <see cref="BerthException"/> whose
/// message is docker's, <c>template parsing error: template: :1: function "x" not defined</c>;
/// <see cref="Execute(JsonElement)"/> throws InvalidArgument with Go's execution message,
/// <c>template: :1:2: executing "" at &lt;.Nope&gt;: can't evaluate field Nope</c>. A missing
/// field is an error, as on docker's structs, unless the template was parsed with
/// <c>strictFields: false</c> (docker inspect's behaviour on maps), where it prints <c>&lt;no value&gt;</c>.
/// </para>
/// </summary>
public sealed class GoTemplate
{
    private readonly ListNode _root;
    private readonly bool _strictFields;

    private GoTemplate(string text, ListNode root, bool strictFields)
    {
        Text = text;
        _root = root;
        _strictFields = strictFields;
    }

    /// <summary>The template's source text.</summary>
    public string Text { get; }

    /// <summary>Parses a template. <paramref name="strictFields"/>: a missing field is an error (docker's structs) or <c>&lt;no value&gt;</c> (maps).</summary>
    public static GoTemplate Parse(string text, bool strictFields = true)
    {
        ArgumentNullException.ThrowIfNull(text);
        try
        {
            return new GoTemplate(text, TemplateParser.Parse(text), strictFields);
        }
        catch (TemplateSyntaxException e)
        {
            var line = 1 + text.AsSpan(0, Math.Min(e.Pos, text.Length)).Count('\n');
            throw BerthException.InvalidArgument($"template parsing error: template: :{line}: {e.Message}");
        }
    }

    /// <summary>Renders the template over <paramref name="data"/> and returns the text.</summary>
    public string Execute(JsonElement data)
    {
        var sb = new StringBuilder();
        Run(sb, data, header: false);
        return sb.ToString();
    }

    /// <summary>Renders the template over <paramref name="data"/> to <paramref name="output"/>; nothing is written if it fails.</summary>
    public void Execute(JsonElement data, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(output);
        output.Write(Execute(data));
    }

    // A table header: docker runs the template over {field: header name} with its formatting
    // functions (json, upper, …) turned into pass-throughs.
    internal string ExecuteHeader(JsonElement headers)
    {
        var sb = new StringBuilder();
        Run(sb, headers, header: true);
        return sb.ToString();
    }

    /// <summary>The fields the template reads from the top-level value (<c>.ID</c>, <c>$.Names</c>), in order.</summary>
    internal IReadOnlyList<string> TopLevelFields()
    {
        var fields = new List<string>();
        Collect(_root, fields);
        return fields.Distinct(StringComparer.Ordinal).ToList();
    }

    private void Run(StringBuilder sb, JsonElement data, bool header)
    {
        try
        {
            new TemplateExecutor(Text, sb, _strictFields, header).Execute(_root, GoValue.FromJson(data));
        }
        catch (TemplateExecException e)
        {
            throw BerthException.InvalidArgument(e.Message);
        }
    }

    private static void Collect(TemplateNode node, List<string> fields)
    {
        switch (node)
        {
            case ListNode l:
                l.Nodes.ForEach(n => Collect(n, fields));
                break;
            case ActionNode a:
                Collect(a.Pipe, fields);
                break;
            case BranchNode b:
                Collect(b.Pipe, fields);
                if (b.Kind == BranchKind.If)
                {
                    // range and with move dot; only if keeps it.
                    Collect(b.List, fields);
                }
                if (b.Else is { } e)
                {
                    Collect(e, fields);
                }
                break;
            case PipeNode p:
                p.Commands.ForEach(c => c.Args.ForEach(a => Collect(a, fields)));
                break;
            case FieldNode f:
                fields.Add(f.Names[0]);
                break;
            case ChainNode { Receiver: VariableNode { Name: "$" } } c:
                fields.Add(c.Names[0]);
                break;
            case SubPipeNode s:
                Collect(s.Pipe, fields);
                break;
        }
    }
}
