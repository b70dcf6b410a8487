using System.Text;
using Berth.Cli.Building;
using Berth.Engine.Builds;
using Berth.Errdefs;

namespace Berth.Cli.Tests.Building;

public sealed class BuildProgressFactoryTests
{
    private static IBuildDisplay Create(string mode, bool terminal, TextWriter? w = null, string? noColor = null) =>
        BuildProgressFactory.Create(mode, w ?? new StringWriter(), terminal, () => (80, 24), new FakeTime(), n => n == "NO_COLOR" ? noColor : null);

    [Theory]
    [InlineData("auto", true, typeof(TtyProgress))]
    [InlineData("", true, typeof(TtyProgress))]
    [InlineData("auto", false, typeof(PlainProgress))]
    [InlineData("", false, typeof(PlainProgress))]
    [InlineData("tty", true, typeof(TtyProgress))]
    [InlineData("plain", true, typeof(PlainProgress))]
    [InlineData("plain", false, typeof(PlainProgress))]
    [InlineData("quiet", true, typeof(QuietProgress))]
    [InlineData("quiet", false, typeof(QuietProgress))]
    public void PicksTheDisplayAsBuildxDoes(string mode, bool terminal, Type expected)
    {
        using var display = Create(mode, terminal);
        Assert.IsType(expected, display);
    }

    [Fact]
    public void TtyWithoutATerminalFails()
    {
        var e = Assert.Throws<BerthException>(() => Create("tty", false));
        Assert.Equal(ErrorKind.FailedPrecondition, e.Kind);
        Assert.Equal("progress mode `tty`: failed to get console: stderr is not a console", e.Message);
    }

    [Theory]
    [InlineData("rawjson")]
    [InlineData("Plain")]
    [InlineData("fancy")]
    public void UnknownModesAreInvalid(string mode)
    {
        var e = Assert.Throws<BerthException>(() => Create(mode, true));
        Assert.Equal(ErrorKind.InvalidArgument, e.Kind);
        Assert.Equal($"progress mode `{mode}`: invalid progress mode {mode} (use one of auto, plain, tty, quiet)", e.Message);
    }

    [Fact]
    public void NoColorTurnsColoursOff()
    {
        var step = new BuildStep(1, "", 1, 1, "FROM busybox");
        foreach (var (noColor, expectColour) in new[] { ((string?)null, true), ("1", false) })
        {
            var w = new StringWriter();
            using (var d = Create("tty", true, w, noColor))
            {
                d.Started(step);
                d.Finished(step, TimeSpan.Zero);
            }
            Assert.Equal(expectColour, w.ToString().Contains("\e[34m", StringComparison.Ordinal));
        }
    }

    [Fact]
    public void QuietPrintsNothing()
    {
        var w = new StringWriter();
        using (var d = Create("quiet", true, w))
        {
            var step = new BuildStep(1, "", 1, 1, "RUN false");
            d.Started(step);
            d.Output(step, Encoding.UTF8.GetBytes("x\n"));
            d.Failed(step, TimeSpan.Zero, "boom");
            d.Message("m");
        }
        Assert.Equal("", w.ToString());
    }

    [Fact]
    public void TheDefaultModeComesFromBuildkitProgress()
    {
        Assert.Equal("auto", BuildProgressFactory.DefaultMode(_ => null));
        Assert.Equal("auto", BuildProgressFactory.DefaultMode(_ => ""));
        Assert.Equal("plain", BuildProgressFactory.DefaultMode(n => n == "BUILDKIT_PROGRESS" ? "plain" : null));
    }
}
