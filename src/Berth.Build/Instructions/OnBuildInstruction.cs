using Berth.Build.Parser;

namespace Berth.Build.Instructions;

public sealed record OnBuildInstruction(SourcePosition Position, Instruction Trigger) : Instruction(Position)
{
    public override string Describe() => "ONBUILD " + Trigger.Describe();
}
