using Berth.Build.Parser;

namespace Berth.Build.Instructions;

public sealed record UserInstruction(SourcePosition Position, string User) : Instruction(Position)
{
    public override string Describe() => $"USER {Quote(User)}";
}
