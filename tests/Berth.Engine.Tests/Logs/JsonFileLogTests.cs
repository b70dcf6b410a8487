using System.Text;
using Berth.Engine.Logs;

namespace Berth.Engine.Tests.Logs;

public sealed class JsonFileLogTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("berth-logs-").FullName;

    private string LogPath => Path.Combine(dir, "log.json");

    public void Dispose() => Directory.Delete(dir, recursive: true);

    private static readonly DateTime T0 = new(2024, 5, 1, 10, 0, 0, DateTimeKind.Utc);

    [Fact]
    public void WritesDockersFormatOneEntryPerLine()
    {
        using (var writer = new JsonFileLogWriter(LogPath))
        {
            writer.Write(LogStream.Stdout, "hello\nwor"u8, T0);
            writer.Write(LogStream.Stderr, "oops\n"u8, T0.AddTicks(1234500));
            writer.Write(LogStream.Stdout, "ld\n<&>\"\\\t\u2028é"u8, T0);
        }
        var lines = File.ReadAllLines(LogPath);
        // The unfinished last line is written (as a partial entry) when the writer closes, stamped then.
        Assert.StartsWith("""{"log":"\u003c\u0026\u003e\"\\\t\u2028é","stream":"stdout","time":"20""", lines[3]);
        Assert.Equal(
        [
            """{"log":"hello\n","stream":"stdout","time":"2024-05-01T10:00:00Z"}""",
            """{"log":"oops\n","stream":"stderr","time":"2024-05-01T10:00:00.12345Z"}""",
            """{"log":"world\n","stream":"stdout","time":"2024-05-01T10:00:00Z"}""",
        ], lines[..3]);
    }

    [Fact]
    public void InvalidUtf8BecomesReplacementCharacter()
    {
        using (var writer = new JsonFileLogWriter(LogPath))
            writer.Write(LogStream.Stdout, [0x61, 0xff, 0x0a], T0);
        Assert.Contains("\"log\":\"a\\ufffd\\n\"", File.ReadAllText(LogPath));
    }

    [Fact]
    public void LongLineIsCutIntoPartialEntriesOf16KiB()
    {
        var line = new byte[JsonFileLogWriter.MaxLineBytes * 2 + 10];
        line.AsSpan().Fill((byte)'x');
        line[^1] = (byte)'\n';
        using (var writer = new JsonFileLogWriter(LogPath))
        {
            writer.Write(LogStream.Stdout, line.AsSpan(0, 100), T0);
            writer.Write(LogStream.Stdout, line.AsSpan(100), T0);
        }
        var entries = JsonFileLogReader.ReadAll(LogPath).ToList();
        Assert.Equal([JsonFileLogWriter.MaxLineBytes, JsonFileLogWriter.MaxLineBytes, 10], entries.Select(e => e.Log.Length));
        Assert.Equal(line, entries.SelectMany(e => e.Log));
    }

    [Fact]
    public void RotatesBySizeKeepingMaxFiles()
    {
        using (var writer = new JsonFileLogWriter(LogPath, maxSize: 200, maxFiles: 3))
        {
            for (var i = 0; i < 20; i++)
                writer.Write(LogStream.Stdout, Encoding.UTF8.GetBytes($"line {i:D2}\n"), T0);
        }
        Assert.True(File.Exists(LogPath + ".1"));
        Assert.True(File.Exists(LogPath + ".2"));
        Assert.False(File.Exists(LogPath + ".3"));
        Assert.All(Directory.GetFiles(dir), f => Assert.True(new FileInfo(f).Length <= 200));
        var text = JsonFileLogReader.ReadAll(LogPath).Select(e => Encoding.UTF8.GetString(e.Log)).ToList();
        Assert.Equal("line 19\n", text[^1]);
        // Oldest first and contiguous: rotation drops whole files from the start only.
        var numbers = text.Select(t => int.Parse(t[5..7])).ToList();
        Assert.Equal(Enumerable.Range(numbers[0], numbers.Count), numbers);
    }

    [Fact]
    public async Task TailSinceUntilTimestampsAndStreams()
    {
        using (var writer = new JsonFileLogWriter(LogPath, maxSize: 150, maxFiles: 10))
        {
            for (var i = 0; i < 10; i++)
                writer.Write(i % 2 == 0 ? LogStream.Stdout : LogStream.Stderr, Encoding.UTF8.GetBytes($"{i}\n"), T0.AddSeconds(i));
        }
        Assert.Equal("7\n9\n", await Read(new LogReadOptions { Tail = 4 }, stderr: true));
        Assert.Equal("6\n8\n", await Read(new LogReadOptions { Tail = 4 }, stderr: false));
        Assert.Equal("4\n6\n", await Read(new LogReadOptions { Since = T0.AddSeconds(3), Until = T0.AddSeconds(8) }, stderr: false));
        Assert.Equal("2024-05-01T10:00:08Z 8\n", await Read(new LogReadOptions { Tail = 2, Timestamps = true }, stderr: false));
        Assert.Equal("", await Read(new LogReadOptions { Tail = 0 }, stderr: false));
    }

    private async Task<string> Read(LogReadOptions options, bool stderr)
    {
        using var o = new MemoryStream();
        using var e = new MemoryStream();
        await JsonFileLogReader.ReadAsync(LogPath, options, o, e, CancellationToken.None);
        return Encoding.UTF8.GetString((stderr ? e : o).ToArray());
    }

    [Fact]
    public async Task FollowSurvivesRotationAndStopsWhenNotRunning()
    {
        var running = true;
        using var writer = new JsonFileLogWriter(LogPath, maxSize: 300, maxFiles: 2);
        writer.Write(LogStream.Stdout, "first\n"u8, T0);
        using var output = new MemoryStream();
        var options = new LogReadOptions { Follow = true, IsRunning = () => Volatile.Read(ref running), PollInterval = TimeSpan.FromMilliseconds(10) };
        var follow = JsonFileLogReader.ReadAsync(LogPath, options, output, Stream.Null, CancellationToken.None);
        await Task.Delay(50);
        for (var i = 0; i < 6; i++)
        {
            writer.Write(LogStream.Stdout, Encoding.UTF8.GetBytes($"more {i}\n"), T0);
            await Task.Delay(30);
        }
        Assert.True(File.Exists(LogPath + ".1"));
        Volatile.Write(ref running, false);
        await follow.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal("first\nmore 0\nmore 1\nmore 2\nmore 3\nmore 4\nmore 5\n", Encoding.UTF8.GetString(output.ToArray()));
    }

    [Theory]
    [InlineData("2024-05-01T10:00:00Z", "2024-05-01T10:00:00+00:00")]
    [InlineData("2024-05-01T10:00:00.123456789Z", "2024-05-01T10:00:00.1234567+00:00")]
    [InlineData("2024-05-01T12:00:00+02:00", "2024-05-01T10:00:00+00:00")]
    [InlineData("1714557600", "2024-05-01T10:00:00+00:00")]
    [InlineData("1714557600.5", "2024-05-01T10:00:00.5+00:00")]
    [InlineData("10m", "2024-05-01T09:50:00+00:00")]
    [InlineData("1h30m", "2024-05-01T08:30:00+00:00")]
    public void ParsesDockersTimeArguments(string value, string expected)
    {
        var now = new DateTimeOffset(T0);
        Assert.Equal(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), LogTime.Parse(value, now));
    }

    [Fact]
    public void BadTimeIsInvalidArgument() =>
        Assert.Equal(Berth.Errdefs.ErrorKind.InvalidArgument, Assert.Throws<Berth.Errdefs.BerthException>(() => LogTime.Parse("yesterday", DateTimeOffset.UtcNow)).Kind);
}
