using Berth.Build.Parser;

namespace Berth.Build.Instructions;

public sealed record VolumeInstruction(SourcePosition Position, IReadOnlyList<string> Paths) : Instruction(Position)
{
    public override string Describe() => $"VOLUME {List(Paths)}";
}
