using Berth.Errdefs;

namespace Berth.Linux.Tests;

public sealed class SignalsTests
{
    [Theory]
    [InlineData("KILL", 9)]
    [InlineData("SIGKILL", 9)]
    [InlineData("kill", 9)]
    [InlineData("sigterm", 15)]
    [InlineData("TERM", 15)]
    [InlineData("HUP", 1)]
    [InlineData("SIGINT", 2)]
    [InlineData("USR1", 10)]
    [InlineData("SIGUSR2", 12)]
    [InlineData("CHLD", 17)]
    [InlineData("WINCH", 28)]
    [InlineData("SYS", 31)]
    [InlineData("IOT", 6)]
    [InlineData("SIGIOT", 6)]
    [InlineData("ABRT", 6)]
    [InlineData("IO", 29)]
    [InlineData("POLL", 29)]
    [InlineData("SIGPOLL", 29)]
    public void ParsesNamesWithAndWithoutSig(string text, int expected) => Assert.Equal(expected, Signals.Parse(text));

    [Theory]
    [InlineData("1", 1)]
    [InlineData("9", 9)]
    [InlineData("15", 15)]
    [InlineData("34", 34)]
    [InlineData("64", 64)]
    public void ParsesNumbers(string text, int expected) => Assert.Equal(expected, Signals.Parse(text));

    [Theory]
    [InlineData("RTMIN", 34)]
    [InlineData("SIGRTMIN", 34)]
    [InlineData("RTMIN+0", 34)]
    [InlineData("RTMIN+1", 35)]
    [InlineData("SIGRTMIN+3", 37)]
    [InlineData("rtmin+30", 64)]
    [InlineData("RTMAX", 64)]
    [InlineData("RTMAX-1", 63)]
    [InlineData("SIGRTMAX-30", 34)]
    public void ParsesRealtimeSignals(string text, int expected) => Assert.Equal(expected, Signals.Parse(text));

    [Theory]
    [InlineData("")]
    [InlineData("0")]
    [InlineData("65")]
    [InlineData("-9")]
    [InlineData("+9")]
    [InlineData(" 9")]
    [InlineData("9 ")]
    [InlineData("FOO")]
    [InlineData("SIG")]
    [InlineData("SIGSIGKILL")]
    [InlineData("RTMIN+31")]
    [InlineData("RTMAX-31")]
    [InlineData("RTMIN+")]
    [InlineData("RTMIN-1")]
    [InlineData("RTMINX")]
    [InlineData("99999999999999999999")]
    [InlineData("RTMIN+-1")]
    [InlineData("RTMAX--5")]
    [InlineData("RTMIN+ 1")]
    [InlineData("RTMAX-+1")]
    public void UnknownSignalsAreInvalidArguments(string text)
    {
        var e = Assert.Throws<BerthException>(() => Signals.Parse(text));
        Assert.Equal(ErrorKind.InvalidArgument, e.Kind);
        Assert.Contains("is unknown", e.Message);
    }

    [Theory]
    [InlineData(1, "SIGHUP")]
    [InlineData(9, "SIGKILL")]
    [InlineData(15, "SIGTERM")]
    [InlineData(19, "SIGSTOP")]
    [InlineData(31, "SIGSYS")]
    [InlineData(34, "34")]
    [InlineData(0, "0")]
    [InlineData(-1, "-1")]
    public void NamesSignals(int signal, string expected) => Assert.Equal(expected, Signals.Name(signal));

    [Fact]
    public void NameAndParseRoundTripForEveryStandardSignal()
    {
        for (var signal = 1; signal < 32; signal++)
            Assert.Equal(signal, Signals.Parse(Signals.Name(signal)));
    }

    [Fact]
    public void ConstantsAgreeWithTheNameTable()
    {
        Assert.Equal("SIGHUP", Signals.Name(Signals.SIGHUP));
        Assert.Equal("SIGINT", Signals.Name(Signals.SIGINT));
        Assert.Equal("SIGQUIT", Signals.Name(Signals.SIGQUIT));
        Assert.Equal("SIGKILL", Signals.Name(Signals.SIGKILL));
        Assert.Equal("SIGUSR1", Signals.Name(Signals.SIGUSR1));
        Assert.Equal("SIGUSR2", Signals.Name(Signals.SIGUSR2));
        Assert.Equal("SIGPIPE", Signals.Name(Signals.SIGPIPE));
        Assert.Equal("SIGTERM", Signals.Name(Signals.SIGTERM));
        Assert.Equal("SIGCHLD", Signals.Name(Signals.SIGCHLD));
        Assert.Equal("SIGCONT", Signals.Name(Signals.SIGCONT));
        Assert.Equal("SIGSTOP", Signals.Name(Signals.SIGSTOP));
        Assert.Equal("SIGWINCH", Signals.Name(Signals.SIGWINCH));
    }
}
