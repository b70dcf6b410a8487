using Berth.Errdefs;

namespace Berth.Build.Tests.Copy;

public sealed class CopyTests : CopyFixture
{
    [Fact]
    public async Task FileToNewNameCreatesParentsAsRoot0755()
    {
        Ctx("a.txt", "hello", 0x1ED);
        Chown(Path.Combine(ContextDir, "a.txt"), 1234, 4321);
        await CopyAsync(Request("/opt/app/b.txt", "a.txt"));
        Assert.Equal("hello", File.ReadAllText(InRoot("/opt/app/b.txt")));
        var file = StatOf(InRoot("/opt/app/b.txt"));
        Assert.Equal("755", Octal(file.Perm));
        Assert.Equal((0, 0), (file.Uid, file.Gid)); // not the context file's owner
        foreach (var dir in new[] { "/opt", "/opt/app" })
        {
            var st = StatOf(InRoot(dir));
            Assert.True(st.IsDir);
            Assert.Equal("755", Octal(st.Perm));
            Assert.Equal((0, 0), (st.Uid, st.Gid));
        }
    }

    [Fact]
    public async Task TrailingSlashOrExistingDirectoryReceivesTheFileByName()
    {
        Ctx("a.txt", "A");
        Directory.CreateDirectory(InRoot("/existing"));
        await CopyAsync(Request("/new/", "a.txt"));
        await CopyAsync(Request("/existing", "a.txt"));
        Assert.Equal("A", File.ReadAllText(InRoot("/new/a.txt")));
        Assert.Equal("A", File.ReadAllText(InRoot("/existing/a.txt")));
    }

    [Fact]
    public async Task RelativeDestinationIsUnderTheWorkingDirectory()
    {
        Ctx("a.txt", "A");
        Ctx("b.txt", "B");
        await CopyAsync(Request("sub/", "a.txt") with { WorkingDir = "/work" });
        await CopyAsync(Request(".", "a.txt", "b.txt") with { WorkingDir = "/w2" });
        await CopyAsync(Request("c.txt", "a.txt") with { WorkingDir = "" });
        Assert.Equal("A", File.ReadAllText(InRoot("/work/sub/a.txt")));
        Assert.Equal("B", File.ReadAllText(InRoot("/w2/b.txt")));
        Assert.Equal("A", File.ReadAllText(InRoot("/c.txt")));
    }

    [Fact]
    public async Task DirectorySourceCopiesItsContentsNotItself()
    {
        Ctx("src/x.txt", "x");
        Ctx("src/deep/er/y.txt", "y");
        Chmod(Path.Combine(ContextDir, "src/deep"), 0x1C0); // 0700
        await CopyAsync(Request("/dst", "src"));
        Assert.Equal("x", File.ReadAllText(InRoot("/dst/x.txt")));
        Assert.Equal("y", File.ReadAllText(InRoot("/dst/deep/er/y.txt")));
        Assert.False(Directory.Exists(InRoot("/dst/src")));
        Assert.Equal("700", Octal(StatOf(InRoot("/dst/deep")).Perm));
        Assert.Equal("755", Octal(StatOf(InRoot("/dst")).Perm)); // made by the copy, not the source's
    }

    [Fact]
    public async Task ContextRootCopiesEverythingNotIgnored()
    {
        Ctx("a.txt", "A");
        Ctx("logs/1.log", "L");
        Ctx("src/k.go", "K");
        Ignore = "logs\n";
        await CopyAsync(Request("/app/", "."));
        Assert.True(File.Exists(InRoot("/app/a.txt")));
        Assert.True(File.Exists(InRoot("/app/src/k.go")));
        Assert.False(Directory.Exists(InRoot("/app/logs")));
    }

    [Fact]
    public async Task ModesAndMtimesAreKeptButCopiedFilesLoseSetuidAsChownMakesThem()
    {
        Ctx("bin/tool", "#!/bin/sh", 0x9ED); // 04755
        Ctx("bin/g", "", 0x5ED); // 02755
        Directory.CreateDirectory(Path.Combine(ContextDir, "tmp"));
        Chmod(Path.Combine(ContextDir, "tmp"), 0x3FF); // 01777
        var when = new DateTime(2001, 2, 3, 4, 5, 6, DateTimeKind.Utc);
        SetMtime(Path.Combine(ContextDir, "bin/tool"), when);
        Directory.SetLastWriteTimeUtc(Path.Combine(ContextDir, "tmp"), when);
        await CopyAsync(Request("/", "."));
        // docker's and buildah's COPY chown after chmod, and chown clears setuid (and an executable
        // setgid): the parity suite shows both peers give 0755 for these.
        Assert.Equal("755", Octal(StatOf(InRoot("/bin/tool")).Perm).TrimStart('0'));
        Assert.Equal("755", Octal(StatOf(InRoot("/bin/g")).Perm).TrimStart('0'));
        Assert.Equal("1777", Octal(StatOf(InRoot("/tmp")).Perm));
        Assert.Equal(new DateTimeOffset(when).ToUnixTimeSeconds(), StatOf(InRoot("/bin/tool")).Mtime);
        Assert.Equal(new DateTimeOffset(when).ToUnixTimeSeconds(), StatOf(InRoot("/tmp")).Mtime);
    }

    [Fact]
    public async Task SymlinksInsideADirectoryStaySymlinks()
    {
        Ctx("d/real.txt", "R");
        File.CreateSymbolicLink(Path.Combine(ContextDir, "d/rel"), "real.txt");
        File.CreateSymbolicLink(Path.Combine(ContextDir, "d/abs"), "/etc/passwd");
        File.CreateSymbolicLink(Path.Combine(ContextDir, "d/dangling"), "../../nowhere");
        await CopyAsync(Request("/x/", "d"));
        Assert.Equal("real.txt", new FileInfo(InRoot("/x/rel")).LinkTarget);
        Assert.Equal("/etc/passwd", new FileInfo(InRoot("/x/abs")).LinkTarget);
        Assert.Equal("../../nowhere", new FileInfo(InRoot("/x/dangling")).LinkTarget);
        Assert.True(StatOf(InRoot("/x/abs")).IsSymlink);
    }

    [Fact]
    public async Task ANamedSymlinkSourceIsFollowed()
    {
        Ctx("target.txt", "T", 0x1C0);
        File.CreateSymbolicLink(Path.Combine(ContextDir, "link"), "target.txt");
        Ctx("dir/f", "F");
        File.CreateSymbolicLink(Path.Combine(ContextDir, "dirlink"), "dir");
        await CopyAsync(Request("/out/", "link"));
        await CopyAsync(Request("/tree", "dirlink"));
        var st = StatOf(InRoot("/out/link"));
        Assert.True(st.IsFile);
        Assert.Equal("700", Octal(st.Perm));
        Assert.Equal("T", File.ReadAllText(InRoot("/out/link")));
        Assert.Equal("F", File.ReadAllText(InRoot("/tree/f")));
    }

    [Fact]
    public async Task HardLinksInsideACopiedTreeStayLinked()
    {
        var first = Ctx("h/one", "same");
        File.Delete(Path.Combine(ContextDir, "h/two"));
        Assert.Equal(0, Berth.Linux.Interop.Libc.linkat(-100, first, -100, Path.Combine(ContextDir, "h/two"), 0));
        await CopyAsync(Request("/l/", "h"));
        var one = StatOf(InRoot("/l/one"));
        var two = StatOf(InRoot("/l/two"));
        Assert.Equal(one.Ino, two.Ino);
        Assert.Equal(2, one.Nlink);
    }

    [Fact]
    public async Task WildcardsMatchWithGoSemantics()
    {
        Ctx("a.txt", "a");
        Ctx("b.txt", "b");
        Ctx("c.md", "c");
        await CopyAsync(Request("/w/", "*.txt"));
        Assert.Equal(["a.txt", "b.txt"], Directory.GetFiles(InRoot("/w")).Select(Path.GetFileName).Order());
    }

    [Fact]
    public async Task ExistingFilesAreOverwritten()
    {
        Ctx("a.txt", "new");
        Directory.CreateDirectory(InRoot("/etc"));
        File.WriteAllText(InRoot("/etc/a.txt"), "old old old");
        await CopyAsync(Request("/etc/", "a.txt"));
        Assert.Equal("new", File.ReadAllText(InRoot("/etc/a.txt")));
    }

    [Fact]
    public async Task MissingSourceIsNotFoundNamingIt()
    {
        var e = await Assert.ThrowsAsync<BerthException>(() => CopyAsync(Request("/x", "missing.txt")));
        Assert.Equal(ErrorKind.NotFound, e.Kind);
        Assert.Equal("COPY failed: file not found in build context or excluded by .dockerignore: stat missing.txt: file does not exist", e.Message);
    }

    [Fact]
    public async Task WildcardMatchingNothingIsAnError()
    {
        var e = await Assert.ThrowsAsync<BerthException>(() => CopyAsync(Request("/x/", "*.nothing")));
        Assert.Equal(ErrorKind.NotFound, e.Kind);
        Assert.Contains("*.nothing", e.Message);
    }

    [Fact]
    public async Task IgnoredSourceIsNotFound()
    {
        Ctx("secret.key", "k");
        Ignore = "*.key\n";
        var e = await Assert.ThrowsAsync<BerthException>(() => CopyAsync(Request("/x", "secret.key")));
        Assert.Contains("stat secret.key: file does not exist", e.Message);
    }

    [Theory]
    [InlineData("../outside")]
    [InlineData("a/../../outside")]
    public async Task SourcesCannotClimbOutOfTheContext(string source)
    {
        var e = await Assert.ThrowsAsync<BerthException>(() => CopyAsync(Request("/x", source)));
        Assert.Equal(ErrorKind.InvalidArgument, e.Kind);
        Assert.Contains(source, e.Message);
    }

    [Fact]
    public async Task AbsoluteSourceIsRelativeToTheContextRoot()
    {
        Ctx("etc/conf", "mine");
        await CopyAsync(Request("/c", "/etc/conf"));
        Assert.Equal("mine", File.ReadAllText(InRoot("/c")));
    }

    [Fact]
    public async Task SeveralSourcesNeedADirectoryDestination()
    {
        Ctx("a.txt");
        Ctx("b.txt");
        var e = await Assert.ThrowsAsync<BerthException>(() => CopyAsync(Request("/dest", "a.txt", "b.txt")));
        Assert.Equal("When using COPY with more than one source file, the destination must be a directory and end with a /", e.Message);
        e = await Assert.ThrowsAsync<BerthException>(() => CopyAsync(Request("/dest", "*.txt")));
        Assert.Contains("must be a directory and end with a /", e.Message);
        var add = await Assert.ThrowsAsync<BerthException>(() => CopyAsync(Request("/dest", "*.txt") with { IsAdd = true }));
        Assert.StartsWith("When using ADD", add.Message);
    }

    [Fact]
    public async Task AFileCannotReplaceADirectory()
    {
        Ctx("etc", "file");
        Directory.CreateDirectory(InRoot("/x/etc"));
        var e = await Assert.ThrowsAsync<BerthException>(() => CopyAsync(Request("/x/", "etc")));
        Assert.Contains("cannot replace to directory /x/etc with file", e.Message);
        Assert.Contains("COPY `etc` to `/x`", e.Message);
    }

    [Fact]
    public async Task ADirectoryCannotBeCopiedOverAFile()
    {
        Ctx("d/f", "f");
        Directory.CreateDirectory(InRoot("/x"));
        File.WriteAllText(InRoot("/x/f"), "");
        Directory.CreateDirectory(Path.Combine(ContextDir, "d2/f"));
        var e = await Assert.ThrowsAsync<BerthException>(() => CopyAsync(Request("/x", "d2")));
        Assert.Contains("cannot copy to non-directory: /x/f", e.Message);
    }

    [Fact]
    public async Task CopyFromAStageKeepsOwnersAndFollowsItsSymlinksInsideIt()
    {
        Directory.CreateDirectory(Path.Combine(Stage, "usr/lib"));
        File.WriteAllText(Path.Combine(Stage, "usr/lib/libx.so"), "elf");
        Chown(Path.Combine(Stage, "usr/lib/libx.so"), 42, 43);
        File.CreateSymbolicLink(Path.Combine(Stage, "lib"), "/usr/lib");
        var request = Request("/opt/", "/lib/libx.so") with { Source = new Berth.Build.Copy.RootfsCopySource(Stage) };
        await CopyAsync(request);
        var st = StatOf(InRoot("/opt/libx.so"));
        Assert.Equal((42, 43), (st.Uid, st.Gid));
        Assert.Equal("elf", File.ReadAllText(InRoot("/opt/libx.so")));
        await CopyAsync(request with { Sources = ["/usr/lib/*.so"], Destination = "/g/" });
        Assert.True(File.Exists(InRoot("/g/libx.so")));
        var e = await Assert.ThrowsAsync<BerthException>(() => CopyAsync(request with { Sources = ["/nope"] }));
        Assert.Equal(ErrorKind.NotFound, e.Kind);
        Assert.Contains("nope", e.Message);
    }

    [Fact]
    public async Task DevicesAndFifosAreCopiedAsNodes()
    {
        Directory.CreateDirectory(Path.Combine(Stage, "dev"));
        Assert.Equal(0, Berth.Linux.Interop.Libc.mknod(Path.Combine(Stage, "dev/null"), 0x2000 | 0x1B6, Berth.Linux.Interop.Libc.makedev(1, 3)));
        Assert.Equal(0, Berth.Linux.Interop.Libc.mkfifo(Path.Combine(Stage, "dev/fifo"), 0x1A4));
        Chmod(Path.Combine(Stage, "dev/null"), 0x1B6); // mknod took the umask off
        await CopyAsync(Request("/", "/dev") with { Source = new Berth.Build.Copy.RootfsCopySource(Stage), Destination = "/dev" });
        Assert.Equal(0x2000, StatOf(InRoot("/dev/null")).Type);
        Assert.Equal(0x1000, StatOf(InRoot("/dev/fifo")).Type);
        Assert.Equal("666", Octal(StatOf(InRoot("/dev/null")).Perm));
    }

    [Fact]
    public async Task ADirectoryIntoTheRootMergesWithWhatIsThere()
    {
        Ctx("etc/app.conf", "conf");
        Directory.CreateDirectory(InRoot("/etc"));
        File.WriteAllText(InRoot("/etc/hostname"), "h");
        await CopyAsync(Request("/", "."));
        Assert.Equal("conf", File.ReadAllText(InRoot("/etc/app.conf")));
        Assert.Equal("h", File.ReadAllText(InRoot("/etc/hostname")));
    }

    [Fact]
    public async Task ADestinationUnderAFileIsAnErrorNamingIt()
    {
        Ctx("a.txt", "a");
        File.WriteAllText(InRoot("/file"), "");
        var e = await Assert.ThrowsAsync<BerthException>(() => CopyAsync(Request("/file/sub/a.txt", "a.txt")));
        Assert.Contains("mkdir `/file`: not a directory", e.Message);
        Assert.Contains("COPY `a.txt` to `/file/sub/a.txt`", e.Message);
    }
}
