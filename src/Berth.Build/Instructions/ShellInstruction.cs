using Berth.Build.Parser;

namespace Berth.Build.Instructions;

public sealed record ShellInstruction(SourcePosition Position, IReadOnlyList<string> Shell) : Instruction(Position)
{
    public override string Describe() => $"SHELL {List(Shell)}";
}
