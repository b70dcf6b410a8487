using Berth.Build.Parser;

namespace Berth.Build.Instructions;

public sealed record AddInstruction(SourcePosition Position, IReadOnlyList<string> Sources, string Destination, string? Chown, string? Chmod, bool Link, IReadOnlyList<string> Excludes, string? Checksum, bool KeepGitDir, IReadOnlyList<Heredoc> Heredocs) : Instruction(Position)
{
    public override string Describe() => $"ADD src={List(Sources)} dest={Quote(Destination)} chown={Quote(Chown)} chmod={Quote(Chmod)} link={Link.ToString().ToLowerInvariant()} exclude={List(Excludes)} checksum={Quote(Checksum)} keep-git-dir={KeepGitDir.ToString().ToLowerInvariant()}{Docs(Heredocs)}";
}
