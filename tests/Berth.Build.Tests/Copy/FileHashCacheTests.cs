using System.Security.Cryptography;
using Berth.Build.Copy;

namespace Berth.Build.Tests.Copy;

/// <summary>The file hash cache never answers for a changed file, and remembers only files old enough.</summary>
public sealed class FileHashCacheTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("berth-hashes-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string OldFile(string name, string content)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, content);
        File.SetLastWriteTimeUtc(path, DateTime.UtcNow.AddHours(-1));
        return path;
    }

    [Fact]
    public void GivesTheContentHashAndRemembersOldFiles()
    {
        var cache = new FileHashCache(Path.Combine(_dir, "cache"));
        var file = OldFile("a", "alpha");
        Assert.Equal(SHA256.HashData("alpha"u8), cache.Hash(file, "a"));
        // The change time is now, so the first hash is not remembered; once it is old, it is.
        Thread.Sleep(2100);
        Assert.Equal(SHA256.HashData("alpha"u8), cache.Hash(file, "a"));
        Assert.Single(Directory.GetFiles(cache.Root));
        Assert.Equal(SHA256.HashData("alpha"u8), cache.Hash(file, "a"));
    }

    [Fact]
    public void AChangedFileIsHashedAgainEvenWithItsOldSizeAndMtime()
    {
        var cache = new FileHashCache(Path.Combine(_dir, "cache"));
        var file = OldFile("b", "one");
        var mtime = File.GetLastWriteTimeUtc(file);
        Thread.Sleep(2100);
        Assert.Equal(SHA256.HashData("one"u8), cache.Hash(file, "b"));
        Assert.NotEmpty(Directory.GetFiles(cache.Root));
        File.WriteAllText(file, "two");
        File.SetLastWriteTimeUtc(file, mtime); // same size and mtime: only the change time moved
        Assert.Equal(SHA256.HashData("two"u8), cache.Hash(file, "b"));
    }

    [Fact]
    public void ATornEntryIsIgnored()
    {
        var cache = new FileHashCache(Path.Combine(_dir, "cache"));
        var file = OldFile("c", "gamma");
        Thread.Sleep(2100);
        cache.Hash(file, "c");
        foreach (var entry in Directory.GetFiles(cache.Root))
            File.WriteAllBytes(entry, [1, 2, 3]);
        Assert.Equal(SHA256.HashData("gamma"u8), cache.Hash(file, "c"));
    }
}
