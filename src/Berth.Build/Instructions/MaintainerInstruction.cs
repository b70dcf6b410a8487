using Berth.Build.Parser;

namespace Berth.Build.Instructions;

public sealed record MaintainerInstruction(SourcePosition Position, string Name) : Instruction(Position)
{
    public override string Describe() => $"MAINTAINER {Quote(Name)}";
}
