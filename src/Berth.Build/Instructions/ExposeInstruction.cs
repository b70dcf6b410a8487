using Berth.Build.Parser;

namespace Berth.Build.Instructions;

public sealed record ExposeInstruction(SourcePosition Position, IReadOnlyList<string> Ports) : Instruction(Position)
{
    public override string Describe() => $"EXPOSE {List(Ports)}";
}
