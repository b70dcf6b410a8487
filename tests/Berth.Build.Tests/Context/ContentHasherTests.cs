using Berth.Build.Context;
using Berth.Build.Ignore;

namespace Berth.Build.Tests.Context;

public sealed class ContentHasherTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("berth-hash-").FullName;

    public ContentHasherTests()
    {
        Write("app/main.go", "package main");
        Write("app/util.go", "package util");
        Write("app/debug.log", "noise");
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private void Write(string rel, string text)
    {
        var p = Path.Combine(_dir, rel);
        Directory.CreateDirectory(Path.GetDirectoryName(p)!);
        File.WriteAllText(p, text);
    }

    private string Hash(string source = "app", string ignore = "") =>
        ContentHasher.Hash(new BuildContext(_dir, IgnoreMatcher.FromText(ignore)), source).ToString();

    [Fact]
    public void IsDeterministic() => Assert.Equal(Hash(), Hash());

    [Fact]
    public void ContentChangesTheDigest()
    {
        var before = Hash();
        Write("app/main.go", "package main2");
        Assert.NotEqual(before, Hash());
    }

    [Fact]
    public void MtimeDoesNot()
    {
        var before = Hash();
        var fileBefore = Hash("app/main.go");
        File.SetLastWriteTimeUtc(Path.Combine(_dir, "app/main.go"), new DateTime(2001, 1, 1, 0, 0, 0, DateTimeKind.Utc));
        File.SetLastAccessTimeUtc(Path.Combine(_dir, "app/main.go"), new DateTime(2002, 1, 1, 0, 0, 0, DateTimeKind.Utc));
        Directory.SetLastWriteTimeUtc(Path.Combine(_dir, "app"), new DateTime(2003, 1, 1, 0, 0, 0, DateTimeKind.Utc));
        Assert.Equal(before, Hash());
        Assert.Equal(fileBefore, Hash("app/main.go"));
    }

    [Fact]
    public void ChmodDoes()
    {
        var before = Hash();
        var p = Path.Combine(_dir, "app/main.go");
        File.SetUnixFileMode(p, File.GetUnixFileMode(p) ^ UnixFileMode.UserExecute);
        Assert.NotEqual(before, Hash());
    }

    [Fact]
    public void RenameDoes()
    {
        var before = Hash();
        File.Move(Path.Combine(_dir, "app/util.go"), Path.Combine(_dir, "app/util2.go"));
        Assert.NotEqual(before, Hash());
    }

    [Fact]
    public void NewFileDoes()
    {
        var before = Hash();
        Write("app/sub/new.go", "");
        Assert.NotEqual(before, Hash());
    }

    [Fact]
    public void IgnoredFilesDoNotMatter()
    {
        var before = Hash(ignore: "**/*.log");
        Write("app/debug.log", "other noise");
        Write("app/more.log", "x");
        Assert.Equal(before, Hash(ignore: "**/*.log"));
        Assert.NotEqual(before, Hash());
    }

    [Fact]
    public void SymlinkTargetIsCovered()
    {
        var link = Path.Combine(_dir, "app/link");
        File.CreateSymbolicLink(link, "main.go");
        var before = Hash();
        File.Delete(link);
        File.CreateSymbolicLink(link, "util.go");
        Assert.NotEqual(before, Hash());
    }

    [Fact]
    public void SetOfSourcesIsOrderIndependent()
    {
        var ctx = new BuildContext(_dir, IgnoreMatcher.FromText(""));
        Assert.Equal(ContentHasher.Hash(ctx, ["app/main.go", "app/util.go"]), ContentHasher.Hash(ctx, ["app/util.go", "app/main.go"]));
        Assert.NotEqual(ContentHasher.Hash(ctx, ["app/main.go"]), ContentHasher.Hash(ctx, ["app/util.go"]));
    }
}
