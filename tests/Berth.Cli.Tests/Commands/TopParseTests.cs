using Berth.Cli.Commands;
using Berth.Errdefs;

namespace Berth.Cli.Tests.Commands;

public sealed class TopParseTests
{
    private const string PsEf = """
        UID          PID    PPID  C STIME TTY          TIME CMD
        root           1       0  0 10:00 ?        00:00:01 /sbin/init splash
        root         812     790  0 10:01 ?        00:00:00 sleep 1000
        root         813     812  0 10:01 ?        00:00:00 sh -c echo  two   spaces
        """;

    [Fact]
    public void KeepsOnlyTheContainersPidsAndJoinsTheLastColumn()
    {
        var (titles, rows) = TopCommand.Parse(PsEf, new HashSet<int> { 812, 813 });
        Assert.Equal(["UID", "PID", "PPID", "C", "STIME", "TTY", "TIME", "CMD"], titles);
        Assert.Equal(2, rows.Count);
        Assert.Equal("sleep 1000", rows[0][7]);
        Assert.Equal("sh -c echo two spaces", rows[1][7]);
    }

    [Fact]
    public void CustomColumns()
    {
        var (titles, rows) = TopCommand.Parse("COMMAND PID\nsleep 5\nsh 6\n", new HashSet<int> { 6 });
        Assert.Equal(["COMMAND", "PID"], titles);
        Assert.Equal(["sh", "6"], rows.Single());
    }

    [Fact]
    public void WithoutAPidColumnItIsDockersError()
    {
        var e = Assert.Throws<BerthException>(() => TopCommand.Parse("USER COMMAND\nroot sh\n", new HashSet<int>()));
        Assert.Equal("Couldn't find PID field in ps output", e.Message);
    }

    [Fact]
    public void RendersLikeDockersTabwriter()
    {
        var text = TopCommand.Render(["UID", "PID", "CMD"], [["root", "812", "sleep 1000"]]);
        Assert.Equal(
            "UID                 PID                 CMD\n" +
            "root                812                 sleep 1000\n", text);
    }
}
