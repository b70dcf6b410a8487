using Berth.Cli.Formatting;
using Berth.Errdefs;

namespace Berth.Cli.Tests.Formatting;

public sealed class HumanizeTests
{
    private static readonly DateTimeOffset Now = new(2024, 5, 1, 12, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(0L, "0B")]
    [InlineData(512L, "512B")]
    [InlineData(999L, "999B")]
    [InlineData(1000L, "1kB")]
    [InlineData(4100L, "4.1kB")]
    [InlineData(1234567L, "1.23MB")]
    [InlineData(7_801_000L, "7.8MB")]
    [InlineData(187_000_000L, "187MB")]
    [InlineData(999_500L, "1e+03kB")] // go-units' %.3g, as docker really prints it
    [InlineData(10_000_000_000L, "10GB")]
    [InlineData(1_125L, "1.12kB")]
    public void HumanSize(long bytes, string expected) => Assert.Equal(expected, Humanize.HumanSize(bytes));

    [Theory]
    [InlineData(0.0, "0B")]
    [InlineData(1023.0, "1023B")]
    [InlineData(1024.0, "1KiB")]
    [InlineData(102400.0, "100KiB")]
    [InlineData(1572864.0, "1.5MiB")]
    [InlineData(2_071_830_528.0, "1.93GiB")]
    [InlineData(3_355_443.0, "3.2MiB")]
    public void BytesSize(double bytes, string expected) => Assert.Equal(expected, Humanize.BytesSize(bytes));

    [Fact]
    public void HumanSizeWithPrecision() => Assert.Equal("2.746MB", Humanize.HumanSizeWithPrecision(2_746_000, 4));

    [Theory]
    [InlineData(0, "Less than a second")]
    [InlineData(-5, "Less than a second")]
    [InlineData(1, "1 second")]
    [InlineData(45, "45 seconds")]
    [InlineData(59, "59 seconds")]
    [InlineData(60, "About a minute")]
    [InlineData(119, "About a minute")]
    [InlineData(180, "3 minutes")]
    [InlineData(3599, "59 minutes")]
    [InlineData(3600, "About an hour")]
    [InlineData(5399, "About an hour")]
    [InlineData(5400, "2 hours")]
    [InlineData(47 * 3600, "47 hours")]
    [InlineData(48 * 3600, "2 days")]
    [InlineData(13 * 86400, "13 days")]
    [InlineData(14 * 86400, "2 weeks")]
    [InlineData(59 * 86400, "8 weeks")]
    [InlineData(60 * 86400, "2 months")]
    [InlineData(95 * 86400, "3 months")]
    [InlineData(730 * 86400, "2 years")]
    public void HumanDuration(int seconds, string expected) =>
        Assert.Equal(expected, Humanize.HumanDuration(TimeSpan.FromSeconds(seconds)));

    [Fact]
    public void CreatedAgo() => Assert.Equal("3 minutes ago", Humanize.CreatedAgo(Now.AddMinutes(-3), Now));

    [Fact]
    public void StatusText()
    {
        var started = Now.AddMinutes(-5);
        var finished = Now.AddMinutes(-2);
        Assert.Equal("Created", Humanize.StatusText("created", null, null, 0, Now));
        Assert.Equal("Up 5 minutes", Humanize.StatusText("running", started, null, 0, Now));
        Assert.Equal("Up 5 minutes (Paused)", Humanize.StatusText("paused", started, null, 0, Now, paused: true));
        Assert.Equal("Up 5 minutes (Paused)", Humanize.StatusText("running", started, null, 0, Now, paused: true));
        Assert.Equal("Up 5 minutes (healthy)", Humanize.StatusText("running", started, null, 0, Now, health: "healthy"));
        Assert.Equal("Up 5 minutes (health: starting)", Humanize.StatusText("running", started, null, 0, Now, health: "starting"));
        Assert.Equal("Restarting (1) 3 seconds ago",
            Humanize.StatusText("restarting", started, Now.AddSeconds(-3), 1, Now, restarting: true));
        Assert.Equal("Exited (0) 2 minutes ago", Humanize.StatusText("exited", started, finished, 0, Now));
        Assert.Equal("Exited (137) 2 minutes ago", Humanize.StatusText("exited", started, finished, 137, Now));
        Assert.Equal("Created", Humanize.StatusText("exited", null, null, 0, Now));
        Assert.Equal("Dead", Humanize.StatusText("dead", started, finished, 0, Now));
        Assert.Equal("Removal In Progress", Humanize.StatusText("removing", started, finished, 0, Now));
        var e = Assert.Throws<BerthException>(() => Humanize.StatusText("sleeping", null, null, 0, Now));
        Assert.Equal(ErrorKind.InvalidArgument, e.Kind);
    }

    [Fact]
    public void CommandText()
    {
        Assert.Equal("\"docker-entrypoint.s…\"", Humanize.CommandText("docker-entrypoint.sh", ["mysqld"]));
        Assert.Equal("\"docker-entrypoint.sh mysqld\"", Humanize.CommandText("docker-entrypoint.sh", ["mysqld"], noTrunc: true));
        Assert.Equal("\"/bin/sh -c 'echo hi'\"", Humanize.CommandText("/bin/sh", ["-c", "echo hi"], noTrunc: true));
        Assert.Equal("\"nginx -g 'daemon of…\"", Humanize.CommandText("nginx", ["-g", "daemon off;"]));
        Assert.Equal("\"sleep 3600\"", Humanize.CommandText("sleep", ["3600"]));
        Assert.Equal("\"top\"", Humanize.CommandText("top", []));
        Assert.Equal("\"echo \\\"x\\\"\"", Humanize.CommandText("echo", ["\"x\""]));
    }

    [Theory]
    [InlineData("abcdefghijklmnopqrstuvwxyz", 20, "abcdefghijklmnopqrs…")]
    [InlineData("short", 20, "short")]
    [InlineData("日本語の文字列です", 10, "日本語の…")]
    [InlineData("abc", 1, "a")]
    [InlineData("abc", 0, "")]
    public void Ellipsis(string s, int width, string expected) => Assert.Equal(expected, Humanize.Ellipsis(s, width));

    [Theory]
    [InlineData("sha256:4f66ad9a0b2e5c4e8c3e8b3f3f0a1d2c", "4f66ad9a0b2e")]
    [InlineData("4f66ad9a0b2e5c4e8c3e8b3f3f0a1d2c", "4f66ad9a0b2e")]
    [InlineData("abc", "abc")]
    public void TruncateId(string id, string expected) => Assert.Equal(expected, Humanize.TruncateId(id));
}
