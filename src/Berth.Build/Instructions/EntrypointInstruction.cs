using Berth.Build.Parser;

namespace Berth.Build.Instructions;

public sealed record EntrypointInstruction(SourcePosition Position, CommandLine Command) : Instruction(Position)
{
    public override string Describe() => $"ENTRYPOINT {Command}";
}
