using Berth.Build.Parser;

namespace Berth.Build.Instructions;

public sealed record CopyInstruction(SourcePosition Position, IReadOnlyList<string> Sources, string Destination, string? From, string? Chown, string? Chmod, bool Link, IReadOnlyList<string> Excludes, bool Parents, IReadOnlyList<Heredoc> Heredocs) : Instruction(Position)
{
    public override string Describe() => $"COPY src={List(Sources)} dest={Quote(Destination)} from={Quote(From)} chown={Quote(Chown)} chmod={Quote(Chmod)} link={Link.ToString().ToLowerInvariant()} exclude={List(Excludes)} parents={Parents.ToString().ToLowerInvariant()}{Docs(Heredocs)}";
}
