using Berth.Build.Parser;

namespace Berth.Build.Instructions;

public sealed record FromInstruction(SourcePosition Position, string Image, string? StageName, string? Platform) : Instruction(Position)
{
    public override string Describe() => $"FROM image={Quote(Image)} as={Quote(StageName)} platform={Quote(Platform)}";
}
