using Berth.Errdefs;

namespace Berth.Build.Tests.Copy;

public sealed class CopyOwnershipTests : CopyFixture
{
    public CopyOwnershipTests()
    {
        Directory.CreateDirectory(InRoot("/etc"));
        File.WriteAllText(InRoot("/etc/passwd"), "root:x:0:0:root:/root:/bin/sh\napp:x:1000:1001:App:/home/app:/bin/sh\n");
        File.WriteAllText(InRoot("/etc/group"), "root:x:0:\nstaff:x:50:\napp:x:1001:\n");
        Ctx("d/f", "f", 0x1A4);
        Ctx("d/sub/g", "g", 0x1ED);
        File.CreateSymbolicLink(Path.Combine(ContextDir, "d/link"), "f");
    }

    [Theory]
    [InlineData("app", 1000, 1001)]           // a name takes the user's primary group
    [InlineData("app:staff", 1000, 50)]
    [InlineData("1234", 1234, 1234)]          // a number without a group: the same number
    [InlineData("1234:50", 1234, 50)]
    [InlineData("app:7", 1000, 7)]
    [InlineData("55:app", 55, 1001)]
    public async Task ChownAppliesToEveryCopiedNodeAndMadeParent(string chown, int uid, int gid)
    {
        await CopyAsync(Request("/new/parent/d", "d") with { Chown = chown });
        foreach (var path in new[] { "/new", "/new/parent", "/new/parent/d", "/new/parent/d/f", "/new/parent/d/sub", "/new/parent/d/sub/g", "/new/parent/d/link" })
        {
            var st = StatOf(InRoot(path));
            Assert.True((uid, gid) == (st.Uid, st.Gid), $"{path}: {st.Uid}:{st.Gid}");
        }
        Assert.Equal((0, 0), (StatOf(InRoot("/etc")).Uid, StatOf(InRoot("/etc")).Gid)); // existing dirs are not touched
    }

    [Theory]
    [InlineData("nobody", "unable to find user nobody")]
    [InlineData("app:wheel", "unable to find group wheel")]
    [InlineData("a:b:c", "invalid chown `a:b:c`")]
    public async Task BadChownIsAnErrorNamingIt(string chown, string message)
    {
        var e = await Assert.ThrowsAsync<BerthException>(() => CopyAsync(Request("/x", "d") with { Chown = chown }));
        Assert.Contains(message, e.Message);
        Assert.False(Directory.Exists(InRoot("/x")));
    }

    [Fact]
    public async Task ChmodAppliesToFilesAndDirectoriesButNotSymlinks()
    {
        await CopyAsync(Request("/m/d", "d") with { Chmod = "0750" });
        Assert.Equal("750", Octal(StatOf(InRoot("/m/d/f")).Perm));
        Assert.Equal("750", Octal(StatOf(InRoot("/m/d/sub")).Perm));
        Assert.Equal("750", Octal(StatOf(InRoot("/m/d/sub/g")).Perm));
        Assert.Equal("777", Octal(StatOf(InRoot("/m/d/link")).Perm));
        Assert.Equal("750", Octal(StatOf(InRoot("/m")).Perm)); // BuildKit makes missing parents with the mode too
    }

    [Fact]
    public async Task ChmodKeepsSpecialBitsAfterChown()
    {
        await CopyAsync(Request("/s", "d/f") with { Chmod = "4755", Chown = "app" });
        Assert.Equal("4755", Octal(StatOf(InRoot("/s")).Perm));
    }

    [Theory]
    [InlineData("999")]
    [InlineData("17777")]
    [InlineData("u+x")]
    public async Task BadChmodIsRefused(string chmod)
    {
        var e = await Assert.ThrowsAsync<BerthException>(() => Copier.PrepareAsync(Request("/x", "d") with { Chmod = chmod }));
        Assert.Equal(ErrorKind.InvalidArgument, e.Kind);
        Assert.Contains($"invalid chmod parameter: '{chmod}'", e.Message);
    }
}
