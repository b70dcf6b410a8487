using Berth.Build.Parser;

namespace Berth.Build.Instructions;

public sealed record CmdInstruction(SourcePosition Position, CommandLine Command) : Instruction(Position)
{
    public override string Describe() => $"CMD {Command}";
}
