using Berth.Linux.Files;
using Berth.Runtime.State;
using Berth.Runtime.Tests.Support;

namespace Berth.Runtime.Tests;

public sealed class AtomicFileTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void WritesAndReplaces()
    {
        var path = _dir["f.json"];
        AtomicFile.WriteText(path, "first");
        Assert.Equal("first", File.ReadAllText(path));
        AtomicFile.Write(path, "second, longer"u8);
        Assert.Equal("second, longer", File.ReadAllText(path));
        AtomicFile.WriteText(path, "");
        Assert.Equal("", File.ReadAllText(path));
        Assert.Equal([path], Directory.GetFiles(_dir.Path));
    }

    [Fact]
    public void AFailedReplaceLeavesTheOldStateAndNoTempFile()
    {
        // The rename fails: the target is a directory that is not empty.
        var path = _dir["target"];
        Directory.CreateDirectory(path);
        File.WriteAllText(Path.Combine(path, "inside"), "old");
        Assert.ThrowsAny<IOException>(() => AtomicFile.WriteText(path, "new"));
        Assert.Equal("old", File.ReadAllText(Path.Combine(path, "inside")));
        Assert.Empty(Directory.GetFiles(_dir.Path));
    }

    [Fact]
    public void AFailedWriteLeavesTheOldFileWhole()
    {
        // The rename cannot replace what is there (a non-empty directory): the old content
        // stays and no temporary file is left beside it.
        var path = _dir["state.json"];
        Directory.CreateDirectory(path);
        File.WriteAllText(Path.Combine(path, "old"), "old");
        Assert.ThrowsAny<Exception>(() => AtomicFile.WriteText(path, "new"));
        Assert.Equal("old", File.ReadAllText(Path.Combine(path, "old")));
        Assert.Empty(Directory.GetFiles(Path.GetDirectoryName(path)!, "state.json.tmp-*"));
    }

    [Fact]
    public void AMissingDirectoryFailsWithoutCreatingAnything()
    {
        var path = _dir["missing/state.json"];
        Assert.ThrowsAny<IOException>(() => AtomicFile.WriteText(path, "x"));
        Assert.False(Directory.Exists(_dir["missing"]));
    }

    [Fact]
    public async Task AReaderNeverSeesATornFile()
    {
        var path = _dir["big.json"];
        var a = new string('a', 256 * 1024);
        var b = new string('b', 300 * 1024);
        AtomicFile.WriteText(path, a);
        using var stop = new CancellationTokenSource();
        var torn = new List<string>();
        var reads = 0;
        var reader = Task.Run(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                var text = File.ReadAllText(path);
                Interlocked.Increment(ref reads);
                if (text != a && text != b)
                    torn.Add($"{text.Length} chars, starting {text[..Math.Min(8, text.Length)]}");
            }
        });
        var deadline = Environment.TickCount64 + 3000;
        for (var i = 0; i < 100 || (Volatile.Read(ref reads) < 50 && Environment.TickCount64 < deadline); i++)
            AtomicFile.WriteText(path, i % 2 == 0 ? b : a);
        stop.Cancel();
        await reader;
        Assert.Empty(torn);
        Assert.True(reads > 0);
    }

    [Fact]
    public void ConcurrentWritersInOneProcessDoNotCollide()
    {
        var path = _dir["shared.json"];
        var errors = new System.Collections.Concurrent.ConcurrentBag<Exception>();
        Parallel.For(0, 16, new ParallelOptions { MaxDegreeOfParallelism = 16 }, t =>
        {
            for (var i = 0; i < 200; i++)
            {
                try
                {
                    AtomicFile.WriteText(path, $"writer {t} write {i}");
                }
                catch (Exception e)
                {
                    errors.Add(e);
                }
            }
        });
        Assert.True(errors.IsEmpty, $"{errors.Count} writes failed, e.g. {errors.FirstOrDefault()?.GetType().Name}: {errors.FirstOrDefault()?.Message}");
        Assert.StartsWith("writer ", File.ReadAllText(path));
    }
}
