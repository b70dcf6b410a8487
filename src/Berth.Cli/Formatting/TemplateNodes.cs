namespace Berth.Cli.Formatting;

// The parse tree of a template, after Go's text/template/parse. Pos is the character offset
// of the node in the template text; Source is the node's own text, used in error messages.

internal abstract record TemplateNode(int Pos);

internal sealed record ListNode(int Pos, List<TemplateNode> Nodes) : TemplateNode(Pos);

internal sealed record TextNode(int Pos, string Text) : TemplateNode(Pos);

internal sealed record ActionNode(int Pos, PipeNode Pipe) : TemplateNode(Pos);

internal enum BranchKind { If, Range, With }

internal sealed record BranchNode(int Pos, BranchKind Kind, PipeNode Pipe, ListNode List, ListNode? Else) : TemplateNode(Pos);

internal sealed record BreakNode(int Pos) : TemplateNode(Pos);

internal sealed record ContinueNode(int Pos) : TemplateNode(Pos);

/// <summary>A pipeline: optional variable declarations (or assignment), then commands joined by |.</summary>
internal sealed record PipeNode(int Pos, string Source, bool IsAssign, List<string> Decl, List<CommandNode> Commands) : TemplateNode(Pos);

internal sealed record CommandNode(int Pos, string Source, List<ArgNode> Args) : TemplateNode(Pos);

internal abstract record ArgNode(int Pos, string Source) : TemplateNode(Pos);

/// <summary><c>.A.B</c>: fields looked up from dot.</summary>
internal sealed record FieldNode(int Pos, string Source, string[] Names) : ArgNode(Pos, Source);

/// <summary><c>$x.A.B</c> or <c>(pipe).A</c>: fields looked up from another operand.</summary>
internal sealed record ChainNode(int Pos, string Source, ArgNode Receiver, string[] Names) : ArgNode(Pos, Source);

internal sealed record DotNode(int Pos) : ArgNode(Pos, ".");

internal sealed record VariableNode(int Pos, string Name) : ArgNode(Pos, Name);

internal sealed record IdentifierNode(int Pos, string Name) : ArgNode(Pos, Name);

internal sealed record LiteralNode(int Pos, string Source, object? Value) : ArgNode(Pos, Source);

internal sealed record SubPipeNode(int Pos, string Source, PipeNode Pipe) : ArgNode(Pos, Source);
