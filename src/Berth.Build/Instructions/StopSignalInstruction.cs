using Berth.Build.Parser;

namespace Berth.Build.Instructions;

public sealed record StopSignalInstruction(SourcePosition Position, string Signal) : Instruction(Position)
{
    public override string Describe() => $"STOPSIGNAL {Quote(Signal)}";
}
