using Berth.Build.Copy;
using Berth.Errdefs;

namespace Berth.Build.Tests.Copy;

/// <summary>Whatever the links in the destination root or the sources say, nothing is written outside the root.</summary>
public sealed class CopySecurityTests : CopyFixture
{
    [Theory]
    [InlineData("/")]
    [InlineData("../../..")]
    [InlineData("../../../..")]
    public async Task DestinationSymlinkResolvesInsideTheRoot(string linkTarget)
    {
        Ctx("canary", "overwritten!");
        File.CreateSymbolicLink(InRoot("/escape"), linkTarget);
        await CopyAsync(Request("/escape/", "canary"));
        AssertCanary();
        Assert.Equal("overwritten!", File.ReadAllText(InRoot("/canary")));
    }

    [Fact]
    public async Task DestinationParentSymlinkToAbsolutePathStaysInTheRoot()
    {
        Ctx("x", "X");
        var outside = Path.Combine(Base, "outside");
        File.CreateSymbolicLink(InRoot("/usr"), outside); // an absolute host path means <root>/<that path>
        await CopyAsync(Request("/usr/x", "x"));
        Assert.False(Directory.Exists(outside));
        Assert.Equal("X", File.ReadAllText(InRoot(outside + "/x")));
        AssertCanary();
    }

    [Fact]
    public async Task FinalDestinationSymlinkIsFollowedInsideTheRoot()
    {
        Ctx("conf", "new");
        File.CreateSymbolicLink(InRoot("/target"), Canary); // names the canary's host path
        await CopyAsync(Request("/target", "conf"));
        AssertCanary();
        Assert.Equal("new", File.ReadAllText(InRoot(Canary)));
    }

    [Fact]
    public async Task ASymlinkInTheWayOfACopiedDirectoryIsNotFollowed()
    {
        Ctx("d/etc/passwd", "evil");
        File.CreateSymbolicLink(InRoot("/etc"), Base);
        var e = await Assert.ThrowsAsync<BerthException>(() => CopyAsync(Request("/", "d")));
        Assert.Contains("cannot copy to non-directory: /etc", e.Message);
        AssertCanary();
    }

    [Fact]
    public async Task ASymlinkAtAFileTargetIsReplacedNotWrittenThrough()
    {
        Ctx("d/canary", "evil");
        Directory.CreateDirectory(InRoot("/x"));
        File.CreateSymbolicLink(InRoot("/x/canary"), Canary);
        await CopyAsync(Request("/x", "d"));
        AssertCanary();
        Assert.False(StatOf(InRoot("/x/canary")).IsSymlink);
        Assert.Equal("evil", File.ReadAllText(InRoot("/x/canary")));
    }

    [Theory]
    [InlineData("../../..")]
    [InlineData("/")]
    public async Task ANamedContextSymlinkIsFollowedOnlyInsideTheContext(string linkTarget)
    {
        File.CreateSymbolicLink(Path.Combine(ContextDir, "up"), linkTarget + "/canary");
        var e = await Assert.ThrowsAsync<BerthException>(() => CopyAsync(Request("/x", "up")));
        Assert.Equal(ErrorKind.NotFound, e.Kind);
        Assert.False(File.Exists(InRoot("/x")));
    }

    [Fact]
    public async Task ANamedStageSymlinkIsFollowedOnlyInsideTheStage()
    {
        File.WriteAllText(Path.Combine(Stage, "canary"), "stage's own");
        File.CreateSymbolicLink(Path.Combine(Stage, "up"), "../../../../canary");
        await CopyAsync(Request("/x", "up") with { Source = new RootfsCopySource(Stage) });
        Assert.Equal("stage's own", File.ReadAllText(InRoot("/x")));
    }

    [Fact]
    public async Task ChownLooksUpUsersThroughTheRootNotTheHost()
    {
        Ctx("f", "f");
        Directory.CreateDirectory(Path.Combine(Base, "hostetc"));
        File.WriteAllText(Path.Combine(Base, "hostetc/passwd"), "app:x:7:7::/:/bin/sh\n");
        File.CreateSymbolicLink(InRoot("/etc"), "../../hostetc");
        var e = await Assert.ThrowsAsync<BerthException>(() => CopyAsync(Request("/f", "f") with { Chown = "app" }));
        Assert.Contains("unable to find user app", e.Message);
    }
}
