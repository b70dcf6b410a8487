using Berth.Build.Parser;

namespace Berth.Build.Instructions;

public sealed record ArgInstruction(SourcePosition Position, IReadOnlyList<KeyValue> Args) : Instruction(Position)
{
    public override string Describe() => "ARG " + string.Join(" ", Args.Select(v => v.Value is null ? v.Key : v.Key + "=" + Quote(v.Value)));
}
