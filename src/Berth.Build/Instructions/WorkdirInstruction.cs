using Berth.Build.Parser;

namespace Berth.Build.Instructions;

public sealed record WorkdirInstruction(SourcePosition Position, string Path) : Instruction(Position)
{
    public override string Describe() => $"WORKDIR {Quote(Path)}";
}
