using Berth.Errdefs;
using Berth.Images.Layers;
using Berth.Images.Tests.Layers;

namespace Berth.Images.Tests;

/// <summary>Every way a layer could try to write outside its target: rejected or contained, the sentinel untouched.</summary>
public sealed class LayerSecurityTests
{
    private static Task<LayerApplyResult> Apply(byte[] layer, string target) =>
        LayerApplier.ApplyAsync(new MemoryStream(layer), target);

    [Theory]
    [InlineData("../x")]
    [InlineData("a/../../x")]
    [InlineData("../sentinel/passwd")]
    [InlineData("./../target/../sentinel/new")]
    public async Task DotDotThatEscapesIsRejected(string name)
    {
        using var root = new LayerRoot();
        var e = await Assert.ThrowsAsync<BerthException>(() => Apply(new LayerTar().File(name, "evil").Bytes(), root.Target));
        Assert.Equal(ErrorKind.InvalidArgument, e.Kind);
        Assert.Contains($"`{name}`", e.Message);
        Assert.Contains("escapes", e.Message);
        root.AssertSentinelUntouched();
    }

    [Fact]
    public async Task DotDotThatStaysInsideIsCleaned()
    {
        using var root = new LayerRoot();
        await Apply(new LayerTar().File("a/../b", "b").Bytes(), root.Target);
        Assert.Equal("b", File.ReadAllText(root["b"]));
        root.AssertSentinelUntouched();
    }

    [Fact]
    public async Task AbsoluteNamesAreTakenRelativeToTheTargetAsDockerDoes()
    {
        using var root = new LayerRoot();
        await Apply(new LayerTar().File("/etc/x", "inside").File("//escaped", "inside").Bytes(), root.Target);
        Assert.Equal("inside", File.ReadAllText(root["etc/x"]));
        Assert.Equal("inside", File.ReadAllText(root["escaped"]));
        Assert.False(File.Exists("/etc/x"));
        root.AssertSentinelUntouched();
    }

    [Fact]
    public async Task SymlinkToRootThenWriteThroughItStaysInside()
    {
        using var root = new LayerRoot();
        var sentinelFromRoot = root.Sentinel; // an absolute host path
        await Apply(new LayerTar()
            .Symlink("s", "/")
            .File("s/etc/x", "contained")
            .Symlink("abs", sentinelFromRoot)
            .File("abs/passwd", "contained")
            .Bytes(), root.Target);

        Assert.Equal("contained", File.ReadAllText(root["etc/x"]));
        Assert.Equal("contained", File.ReadAllText(root[sentinelFromRoot.TrimStart('/') + "/passwd"]));
        Assert.False(File.Exists("/etc/x"));
        root.AssertSentinelUntouched();
    }

    [Fact]
    public async Task SymlinkToParentThenWriteThroughItStaysInside()
    {
        using var root = new LayerRoot();
        await Apply(new LayerTar()
            .Symlink("s", "..")
            .File("s/x", "contained")
            .Dir("d/")
            .Symlink("d/up", "../../../../sentinel")
            .File("d/up/passwd", "contained")
            .Bytes(), root.Target);

        Assert.Equal("contained", File.ReadAllText(root["x"]));
        Assert.Equal("contained", File.ReadAllText(root["sentinel/passwd"]));
        root.AssertSentinelUntouched();
    }

    [Fact]
    public async Task SymlinkFromALowerLayerIsNotFollowedOut()
    {
        using var root = new LayerRoot();
        await Apply(new LayerTar().Symlink("etc", root.Sentinel).Symlink("passwd", root.Sentinel + "/passwd").Bytes(), root.Target);
        await Apply(new LayerTar().File("etc/passwd", "contained").File("passwd", "replaces the link").Bytes(), root.Target);

        Assert.Null(new FileInfo(root["passwd"]).LinkTarget);
        root.AssertSentinelUntouched();
    }

    [Fact]
    public async Task SymlinkLoopIsRejected()
    {
        using var root = new LayerRoot();
        var e = await Assert.ThrowsAsync<BerthException>(() =>
            Apply(new LayerTar().Symlink("a", "b").Symlink("b", "a").File("a/x", "x").Bytes(), root.Target));
        Assert.Equal(ErrorKind.InvalidArgument, e.Kind);
        Assert.Contains("symbolic links", e.Message);
    }

    [Theory]
    [InlineData("../../etc/passwd")]
    [InlineData("../sentinel/passwd")]
    [InlineData("a/../../sentinel/passwd")]
    public async Task HardLinkOutsideIsRejected(string target)
    {
        using var root = new LayerRoot();
        var e = await Assert.ThrowsAsync<BerthException>(() =>
            Apply(new LayerTar().File("a", "a").HardLink("h", target).Bytes(), root.Target));
        Assert.Equal(ErrorKind.InvalidArgument, e.Kind);
        Assert.Contains("`h`", e.Message);
        Assert.False(File.Exists(root["h"]));
        root.AssertSentinelUntouched();
    }

    [Fact]
    public async Task HardLinkThroughASymlinkOutIsContained()
    {
        using var root = new LayerRoot();
        var e = await Assert.ThrowsAsync<BerthException>(() =>
            Apply(new LayerTar().Symlink("s", root.Sentinel).HardLink("h", "s/passwd").Bytes(), root.Target));
        Assert.Contains("does not exist", e.Message);
        root.AssertSentinelUntouched();
    }

    [Fact]
    public async Task HardLinkToASymlinkLinksTheSymlinkItself()
    {
        using var root = new LayerRoot();
        await Apply(new LayerTar().Symlink("s", root.Sentinel + "/passwd").HardLink("h", "s").Bytes(), root.Target);
        Assert.Equal(root.Sentinel + "/passwd", new FileInfo(root["h"]).LinkTarget);
        root.AssertSentinelUntouched();
    }

    [Fact]
    public async Task WhiteoutThroughASymlinkDoesNotDeleteOutside()
    {
        using var root = new LayerRoot();
        await Apply(new LayerTar().Symlink("s", root.Sentinel).Bytes(), root.Target);
        await Apply(new LayerTar().File("s/.wh.passwd", "").File("s/.wh..wh..opq", "").Bytes(), root.Target);
        root.AssertSentinelUntouched();
    }

    [Fact]
    public async Task RemovingADirectoryDoesNotFollowLinksInIt()
    {
        using var root = new LayerRoot();
        await Apply(new LayerTar().Dir("d/").Symlink("d/out", root.Sentinel).Bytes(), root.Target);
        await Apply(new LayerTar().File(".wh.d", "").Bytes(), root.Target);
        Assert.False(Directory.Exists(root["d"]));
        root.AssertSentinelUntouched();
    }

    [Fact]
    public async Task DirectoryReplacedByASymlinkLaterInTheLayerDoesNotGetItsModeThroughTheLink()
    {
        using var root = new LayerRoot();
        await Apply(new LayerTar()
            .Dir("d/", (UnixFileMode)0x1ff, uid: 4242)
            .Dir("p/").Dir("p/q/", (UnixFileMode)0x1ff, uid: 4242)
            .Symlink("d", root.Sentinel)
            .File(".wh.p", "")
            .Symlink("p", root.Base)
            .Bytes(), root.Target);
        Assert.Equal(root.Sentinel, new FileInfo(root["d"]).LinkTarget);
        Assert.StartsWith("directory 755 0:0", LayerRoot.Stat(root.Sentinel));
        root.AssertSentinelUntouched();
    }

    [Theory]
    [InlineData("d/.wh..")]
    [InlineData("d/.wh...")]
    [InlineData("d/.wh.")]
    public async Task WhiteoutOfDotOrDotDotIsRejected(string name)
    {
        using var root = new LayerRoot();
        var e = await Assert.ThrowsAsync<BerthException>(() => Apply(new LayerTar().Dir("d/").File(name, "").Bytes(), root.Target));
        Assert.Equal(ErrorKind.InvalidArgument, e.Kind);
        Assert.Contains("whiteout names no file", e.Message);
        Assert.True(Directory.Exists(root.Target));
        root.AssertSentinelUntouched();
    }

    [Fact]
    public async Task HardLinkToADirectoryIsRejected()
    {
        using var root = new LayerRoot();
        var e = await Assert.ThrowsAsync<BerthException>(() => Apply(new LayerTar().Dir("d/").HardLink("h", "d").Bytes(), root.Target));
        Assert.Contains("is a directory", e.Message);
    }

    [Fact]
    public async Task RootEntrySetsTheTargetsMetadataAndReservedWhiteoutsAreSkipped()
    {
        using var root = new LayerRoot();
        await Apply(new LayerTar().Dir("./", (UnixFileMode)0x1ed, uid: 5, gid: 6).File(".wh..wh.plnk", "").Bytes(), root.Target);
        Assert.StartsWith("directory 755 5:6", LayerRoot.Stat(root.Target));
        Assert.Empty(Directory.EnumerateFileSystemEntries(root.Target));
    }

    [Fact]
    public async Task OverlongComponentIsInvalidArgument()
    {
        using var root = new LayerRoot();
        var e = await Assert.ThrowsAsync<BerthException>(() => Apply(new LayerTar().File("d/" + new string('a', 256), "").Bytes(), root.Target));
        Assert.Equal(ErrorKind.InvalidArgument, e.Kind);
        Assert.Contains("component longer than 255 bytes", e.Message);
    }
}
