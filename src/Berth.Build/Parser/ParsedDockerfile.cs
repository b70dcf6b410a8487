namespace Berth.Build.Parser;

/// <summary>The parser's output: the directives and the instructions, in order.</summary>
public sealed record ParsedDockerfile(ParserDirectives Directives, IReadOnlyList<Node> Nodes);
