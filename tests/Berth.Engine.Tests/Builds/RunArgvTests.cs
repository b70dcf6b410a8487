using Berth.Build.Instructions;
using Berth.Build.Parser;
using Berth.Engine.Builds;

namespace Berth.Engine.Tests.Builds;

/// <summary>What a RUN executes: exec form, shell form, and heredocs as BuildKit runs them.</summary>
public sealed class RunArgvTests
{
    private static readonly IReadOnlyList<string> Sh = ["/bin/sh", "-c"];

    private static RunInstruction Run(CommandLine command, params Heredoc[] docs) => new(new SourcePosition(1, 1), command, [], null, null, docs);

    [Fact]
    public void ExecFormIsAsGivenAndShellFormGoesToTheShell()
    {
        Assert.Equal(["echo", "a b"], BuildRun.RunArgv(Run(new CommandLine(["echo", "a b"], false)), Sh));
        Assert.Equal(["/bin/sh", "-c", "echo $HOME"], BuildRun.RunArgv(Run(new CommandLine(["echo $HOME"], true)), Sh));
    }

    [Fact]
    public void ALoneHeredocIsTheScript()
    {
        var argv = BuildRun.RunArgv(Run(new CommandLine(["<<EOF"], true), new Heredoc("EOF", "echo one\necho two\n", true, false)), Sh);
        Assert.Equal(["/bin/sh", "-c", "echo one\necho two\n"], argv);
    }

    [Fact]
    public void AHeredocFeedingACommandIsPassedToTheShellWhole()
    {
        var argv = BuildRun.RunArgv(Run(new CommandLine(["cat <<'EOF' > /f"], true), new Heredoc("EOF", "$HOME\n", false, false)), Sh);
        Assert.Equal(["/bin/sh", "-c", "cat <<'EOF' > /f\n$HOME\nEOF"], argv);
    }
}
