using Berth.Build.Parser;

namespace Berth.Build.Instructions;

public sealed record LabelInstruction(SourcePosition Position, IReadOnlyList<KeyValue> Labels) : Instruction(Position)
{
    public override string Describe() => "LABEL " + string.Join(" ", Labels.Select(v => v.Key + "=" + Quote(v.Value)));
}
