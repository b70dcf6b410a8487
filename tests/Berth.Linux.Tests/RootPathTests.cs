using Berth.Errdefs;
using Berth.Linux;
using Berth.Linux.Files;

namespace Berth.Linux.Tests;

/// <summary>RootPath against a real directory tree with hostile symlinks.</summary>
public sealed class RootPathTests : IDisposable
{
    private readonly string _temp = Directory.CreateTempSubdirectory("berth-rootpath-").FullName;
    private readonly string _root;

    public RootPathTests()
    {
        _root = Path.Combine(_temp, "rootfs");
        Directory.CreateDirectory(Path.Combine(_root, "etc"));
        Directory.CreateDirectory(Path.Combine(_root, "usr/lib"));
        Directory.CreateDirectory(Path.Combine(_root, "a/b"));
        File.WriteAllText(Path.Combine(_root, "etc/passwd"), "");
        // Outside the root, where an escaping link would land if it were followed on the host.
        Directory.CreateDirectory(Path.Combine(_temp, "etc"));
    }

    public void Dispose() => Directory.Delete(_temp, recursive: true);

    private void Link(string at, string target) => File.CreateSymbolicLink(Path.Combine(_root, at), target);

    private string In(string relative) => _root + "/" + relative;

    [Theory]
    [InlineData("/etc/passwd", "etc/passwd")]
    [InlineData("etc/passwd", "etc/passwd")]
    [InlineData("//etc///passwd/", "etc/passwd")]
    [InlineData("/./etc/./passwd", "etc/passwd")]
    [InlineData("/does/not/exist", "does/not/exist")]
    [InlineData("/a/b/../b/./", "a/b")]
    public void PlainPathsStayAsTheyAre(string path, string expected) => Assert.Equal(In(expected), RootPath.Join(_root, path));

    [Theory]
    [InlineData("/")]
    [InlineData("")]
    [InlineData(".")]
    [InlineData("..")]
    [InlineData("/../../..")]
    public void TheRootItself(string path) => Assert.Equal(_root, RootPath.Join(_root, path));

    [Theory]
    [InlineData("/../etc", "etc")]
    [InlineData("/../../../../etc/passwd", "etc/passwd")]
    [InlineData("/a/../../etc", "etc")]
    [InlineData("/a/b/../../../../usr", "usr")]
    public void DotDotNeverClimbsAboveTheRoot(string path, string expected) => Assert.Equal(In(expected), RootPath.Join(_root, path));

    [Fact]
    public void AnAbsoluteLinkIsResolvedInsideTheRoot()
    {
        Link("abs", "/etc");
        Assert.Equal(In("etc/passwd"), RootPath.Join(_root, "/abs/passwd"));
        Assert.Equal(In("etc"), RootPath.Join(_root, "/abs"));
    }

    [Fact]
    public void ALinkToSlashIsTheRoot()
    {
        Link("slash", "/");
        Assert.Equal(In("etc"), RootPath.Join(_root, "/slash/etc"));
        Assert.Equal(_root, RootPath.Join(_root, "/slash"));
    }

    [Fact]
    public void ARelativeLinkIsResolvedFromItsDirectory()
    {
        Link("a/b/lib", "../../usr/lib");
        Assert.Equal(In("usr/lib/x.so"), RootPath.Join(_root, "/a/b/lib/x.so"));
        Link("a/sibling", "b");
        Assert.Equal(In("a/b"), RootPath.Join(_root, "/a/sibling"));
    }

    [Fact]
    public void DotDotAfterALinkClimbsFromTheLinksTarget()
    {
        // As the kernel does: link/.. is the parent of what link points to, not of link.
        Link("deep", "a/b");
        Assert.Equal(In("a"), RootPath.Join(_root, "/deep/.."));
        Assert.Equal(In("usr"), RootPath.Join(_root, "/deep/../../usr"));
    }

    [Fact]
    public void ARelativeLinkEscapingTheRootStaysInside()
    {
        Link("escape", "../../../../../../etc");
        Assert.Equal(In("etc/passwd"), RootPath.Join(_root, "/escape/passwd"));
        Link("a/escape", "../../..");
        Assert.Equal(_root, RootPath.Join(_root, "/a/escape"));
        Assert.Equal(In("etc"), RootPath.Join(_root, "/a/escape/etc"));
    }

    [Fact]
    public void AnAbsoluteLinkThroughDotDotStaysInside()
    {
        Link("up", "/../../etc/../..");
        Assert.Equal(In("etc"), RootPath.Join(_root, "/up/etc"));
    }

    [Fact]
    public void AChainOfLinksIsFollowed()
    {
        Link("one", "two");
        Link("two", "/three");
        Link("three", "usr/lib");
        Assert.Equal(In("usr/lib/libc.so"), RootPath.Join(_root, "/one/libc.so"));
    }

    [Fact]
    public void ALinkToAMissingPathGivesThatPath()
    {
        Link("dangling", "/nowhere/at/all");
        Assert.Equal(In("nowhere/at/all/x"), RootPath.Join(_root, "/dangling/x"));
    }

    [Fact]
    public void ALinkAsTheLastComponentIsFollowed()
    {
        Link("etc/localtime", "/usr/share/zoneinfo/UTC");
        Assert.Equal(In("usr/share/zoneinfo/UTC"), RootPath.Join(_root, "/etc/localtime"));
    }

    [Fact]
    public void ALinkLoopIsEloop()
    {
        Link("loop1", "loop2");
        Link("loop2", "/loop1");
        var e = Assert.Throws<BerthException>(() => RootPath.Join(_root, "/loop1/x"));
        Assert.Equal(Errno.ELOOP, e.Errno);
        Assert.Equal(ErrorKind.InvalidArgument, e.Kind);
        Assert.Equal($"resolve `/loop1/x` in `{_root}`: too many levels of symbolic links", e.Message);
    }

    [Fact]
    public void ASelfLinkIsEloop()
    {
        Link("self", "self");
        Assert.Equal(Errno.ELOOP, Assert.Throws<BerthException>(() => RootPath.Join(_root, "/self")).Errno);
        Link("a/dot", "./dot");
        Assert.Equal(Errno.ELOOP, Assert.Throws<BerthException>(() => RootPath.Join(_root, "/a/dot")).Errno);
    }

    [Fact]
    public void ALoopThroughDotDotIsEloop()
    {
        Link("a/b/back", "../../a/b/back");
        Assert.Equal(Errno.ELOOP, Assert.Throws<BerthException>(() => RootPath.Join(_root, "/a/b/back")).Errno);
    }

    [Fact]
    public void ARootWithATrailingSlashGivesNoDoubleSlash()
    {
        Assert.Equal(In("etc/passwd"), RootPath.Join(_root + "/", "/etc/passwd"));
    }

    [Fact]
    public void NoResultEverLeavesTheRoot()
    {
        Link("x1", "../..");
        Link("a/x2", "/../a/../../x1/..");
        Link("a/b/x3", "../x2/../../..");
        foreach (var path in new[] { "/x1", "/a/x2", "/a/b/x3", "/a/b/x3/..", "/x1/../a/x2/b/x3/etc" })
        {
            var joined = RootPath.Join(_root, path);
            Assert.True(joined == _root || joined.StartsWith(_root + "/", StringComparison.Ordinal), $"{path} -> {joined}");
            Assert.DoesNotContain("/../", joined + "/");
        }
    }

    [Theory]
    [InlineData("/proc", true)]
    [InlineData("/", true)]
    [InlineData("proc", false)]
    [InlineData("", false)]
    [InlineData("./proc", false)]
    public void RequireAbsolute(string path, bool ok)
    {
        if (ok)
        {
            RootPath.RequireAbsolute(path, "mount destination");
            return;
        }
        var e = Assert.Throws<BerthException>(() => RootPath.RequireAbsolute(path, "mount destination"));
        Assert.Equal(ErrorKind.InvalidArgument, e.Kind);
        Assert.Equal($"mount destination `{path}` is not an absolute path", e.Message);
    }

    [Theory]
    [InlineData("", "/")]
    [InlineData("/", "/")]
    [InlineData("a/b", "/a/b")]
    [InlineData("//a/./b//", "/a/b")]
    [InlineData("/a/../../b", "/b")]
    [InlineData("../..", "/")]
    public void CleanIsLexicalAndAbsolute(string path, string expected) => Assert.Equal(expected, RootPath.Clean(path));
}
