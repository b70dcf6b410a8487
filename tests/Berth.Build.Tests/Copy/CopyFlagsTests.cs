using Berth.Build.Parser;
using Berth.Errdefs;

namespace Berth.Build.Tests.Copy;

/// <summary>Here-documents, --exclude and --parents.</summary>
public sealed class CopyFlagsTests : CopyFixture
{
    [Fact]
    public async Task AHeredocBecomesTheDestinationFile()
    {
        var request = Request("/etc/motd", "<<EOF") with { Heredocs = [new Heredoc("EOF", "hello\nworld\n", true, false)] };
        await CopyAsync(request);
        Assert.Equal("hello\nworld\n", File.ReadAllText(InRoot("/etc/motd")));
        var st = StatOf(InRoot("/etc/motd"));
        Assert.Equal("644", Octal(st.Perm));
        Assert.Equal((0, 0), (st.Uid, st.Gid));
    }

    [Fact]
    public async Task SeveralHeredocsIntoADirectoryUseTheirNames()
    {
        var request = Request("/d/", "<<one", "<<two") with
        {
            Heredocs = [new Heredoc("one", "1\n", true, false), new Heredoc("two", "2\n", false, false)],
            Chmod = "0755",
        };
        await CopyAsync(request);
        Assert.Equal("1\n", File.ReadAllText(InRoot("/d/one")));
        Assert.Equal("2\n", File.ReadAllText(InRoot("/d/two")));
        Assert.Equal("755", Octal(StatOf(InRoot("/d/two")).Perm));
        var e = await Assert.ThrowsAsync<BerthException>(() => CopyAsync(request with { Destination = "/d" }));
        Assert.Contains("must be a directory and end with a /", e.Message);
    }

    [Fact]
    public async Task HeredocContentIsInTheDigestAndItsTempFileIsRemoved()
    {
        var request = Request("/f", "<<EOF") with { Heredocs = [new Heredoc("EOF", "a\n", true, false)] };
        var prepared = await Copier.PrepareAsync(request);
        using var other = await Copier.PrepareAsync(request with { Heredocs = [new Heredoc("EOF", "b\n", true, false)] });
        Assert.NotEqual(prepared.InputDigest, other.InputDigest);
        Assert.NotEmpty(Directory.EnumerateFileSystemEntries(Temp));
        prepared.Dispose();
        other.Dispose();
        Assert.Empty(Directory.EnumerateFileSystemEntries(Temp));
    }

    [Fact]
    public async Task ExcludeSkipsMatchingPathsBelowEachSource()
    {
        Ctx("dir1/a.png", "1");
        Ctx("dir1/b.txt", "2");
        Ctx("dir2/c.png", "3");
        Ctx("dir2/sub/d.txt", "4");
        Ctx("dir2/sub/e.png", "5");
        await CopyAsync(Request("/1", ".") with { Excludes = ["*/*.png"] });
        Assert.True(File.Exists(InRoot("/1/dir1/b.txt")));
        Assert.False(File.Exists(InRoot("/1/dir1/a.png")));
        Assert.False(File.Exists(InRoot("/1/dir2/c.png")));
        Assert.True(File.Exists(InRoot("/1/dir2/sub/e.png"))); // */*.png is one level deep

        await CopyAsync(Request("/2/", "dir*") with { Excludes = ["*.png", "sub"] });
        Assert.Equal(["b.txt"], Directory.EnumerateFileSystemEntries(InRoot("/2")).Select(Path.GetFileName));
    }

    [Fact]
    public async Task ExcludeWithAnExceptionKeepsOnlyWhatItReincludes()
    {
        Ctx("src/a/keep.txt", "k");
        Ctx("src/a/drop.md", "d");
        Ctx("src/b/drop.md", "d");
        await CopyAsync(Request("/x", "src") with { Excludes = ["**", "!**/*.txt"] });
        Assert.True(File.Exists(InRoot("/x/a/keep.txt")));
        Assert.False(File.Exists(InRoot("/x/a/drop.md")));
        Assert.False(Directory.Exists(InRoot("/x/b"))); // nothing in it was kept
    }

    [Fact]
    public async Task ParentsKeepTheSourcePath()
    {
        Ctx("a/b/c.txt", "c");
        Ctx("a/b/d.txt", "d");
        Ctx("x/y/z.txt", "z");
        Chmod(Path.Combine(ContextDir, "a/b"), 0x1C0);
        await CopyAsync(Request("/dst", "a/b/*.txt", "x/./y/z.txt") with { Parents = true });
        Assert.Equal("c", File.ReadAllText(InRoot("/dst/a/b/c.txt")));
        Assert.Equal("d", File.ReadAllText(InRoot("/dst/a/b/d.txt")));
        Assert.Equal("700", Octal(StatOf(InRoot("/dst/a/b")).Perm)); // parents come from the source
        Assert.Equal("z", File.ReadAllText(InRoot("/dst/y/z.txt")));   // the /./ pivot cuts the path
        Assert.False(Directory.Exists(InRoot("/dst/x")));
    }

    [Fact]
    public async Task ParentsOfADirectoryCopyTheDirectoryUnderItsPath()
    {
        Ctx("pkg/mod/m.go", "m");
        await CopyAsync(Request("/go/", "pkg/mod") with { Parents = true });
        Assert.Equal("m", File.ReadAllText(InRoot("/go/pkg/mod/m.go")));
    }

    [Fact]
    public async Task ParentsOfTheWholeContextCopyEverything()
    {
        Ctx("a/b.txt", "b");
        Ctx("c.txt", "c");
        await CopyAsync(Request("/all/", ".") with { Parents = true });
        Assert.Equal("b", File.ReadAllText(InRoot("/all/a/b.txt")));
        Assert.Equal("c", File.ReadAllText(InRoot("/all/c.txt")));
    }
}
