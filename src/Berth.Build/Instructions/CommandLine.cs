using Berth.Build.Parser;

namespace Berth.Build.Instructions;

/// <summary>A command: exec form (the JSON strings) or shell form (one string, run by the shell).</summary>
public sealed record CommandLine(IReadOnlyList<string> Args, bool PrependShell)
{
    public override string ToString() => (PrependShell ? "shell " : "exec ") + Instruction.List(Args);
}
