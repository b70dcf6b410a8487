using Berth.Build.Parser;

namespace Berth.Build.Instructions;

public sealed record EnvInstruction(SourcePosition Position, IReadOnlyList<KeyValue> Variables) : Instruction(Position)
{
    public override string Describe() => "ENV " + string.Join(" ", Variables.Select(v => v.Key + "=" + Quote(v.Value)));
}
