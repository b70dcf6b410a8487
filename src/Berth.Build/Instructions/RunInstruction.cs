using Berth.Build.Parser;

namespace Berth.Build.Instructions;

public sealed record RunInstruction(SourcePosition Position, CommandLine Command, IReadOnlyList<string> Mounts, string? Network, string? Security, IReadOnlyList<Heredoc> Heredocs) : Instruction(Position)
{
    public override string Describe() => $"RUN {Command} mounts={List(Mounts)} network={Quote(Network)} security={Quote(Security)}{Docs(Heredocs)}";
}
