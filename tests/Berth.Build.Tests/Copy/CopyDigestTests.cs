using Berth.Build.Copy;
using Berth.Oci;

namespace Berth.Build.Tests.Copy;

public sealed class CopyDigestTests : CopyFixture
{
    public CopyDigestTests()
    {
        Ctx("app/main.go", "package main");
        Ctx("app/lib/x.go", "package lib");
        File.CreateSymbolicLink(Path.Combine(ContextDir, "app/link"), "main.go");
    }

    private async Task<Digest> DigestOf(CopyRequest request)
    {
        using var prepared = await Copier.PrepareAsync(request);
        return prepared.InputDigest;
    }

    private CopyRequest App => Request("/src/", "app");

    [Fact]
    public async Task SameInputsSameDigestWhateverTheTimes()
    {
        var before = await DigestOf(App);
        SetMtime(Path.Combine(ContextDir, "app/main.go"), new DateTime(1999, 1, 1, 0, 0, 0, DateTimeKind.Utc));
        Directory.SetLastWriteTimeUtc(Path.Combine(ContextDir, "app/lib"), DateTime.UtcNow.AddDays(-3));
        Assert.Equal(before, await DigestOf(App));
    }

    [Fact]
    public async Task ContextOwnersDoNotCountBecauseTheyAreNotCopied()
    {
        var before = await DigestOf(App);
        Chown(Path.Combine(ContextDir, "app/main.go"), 99, 99);
        Assert.Equal(before, await DigestOf(App));
    }

    [Fact]
    public async Task OneByteChangesTheDigest()
    {
        var before = await DigestOf(App);
        File.WriteAllText(Path.Combine(ContextDir, "app/lib/x.go"), "package lip");
        Assert.NotEqual(before, await DigestOf(App));
    }

    [Fact]
    public async Task AModeChangeChangesTheDigest()
    {
        var before = await DigestOf(App);
        Chmod(Path.Combine(ContextDir, "app/main.go"), 0x1ED);
        Assert.NotEqual(before, await DigestOf(App));
    }

    [Fact]
    public async Task ANewFileOrLinkTargetChangesTheDigest()
    {
        var before = await DigestOf(App);
        Ctx("app/new", "");
        var withNew = await DigestOf(App);
        Assert.NotEqual(before, withNew);
        File.Delete(Path.Combine(ContextDir, "app/link"));
        File.CreateSymbolicLink(Path.Combine(ContextDir, "app/link"), "lib/x.go");
        Assert.NotEqual(withNew, await DigestOf(App));
    }

    [Fact]
    public async Task DestinationAndFlagsAreInTheDigest()
    {
        var digests = new[]
        {
            await DigestOf(App),
            await DigestOf(App with { Destination = "/other/" }),
            await DigestOf(App with { Chown = "1:1" }),
            await DigestOf(App with { Chmod = "755" }),
            await DigestOf(App with { Excludes = ["*.md"] }),
            await DigestOf(App with { IsAdd = true }),
            await DigestOf(App with { Destination = "src/", WorkingDir = "/" }), // the same as /src/
        };
        Assert.Equal(6, digests.Distinct().Count());
        Assert.Equal(digests[0], digests[6]);
    }

    [Fact]
    public async Task StageOwnersCountBecauseTheyAreKept()
    {
        Directory.CreateDirectory(Path.Combine(Stage, "bin"));
        File.WriteAllText(Path.Combine(Stage, "bin/sh"), "elf");
        var request = Request("/bin/", "/bin/sh") with { Source = new RootfsCopySource(Stage) };
        var before = await DigestOf(request);
        Chown(Path.Combine(Stage, "bin/sh"), 5, 5);
        Assert.NotEqual(before, await DigestOf(request));
    }

    [Fact]
    public async Task TheDigestDoesNotDependOnWhereTheContextIs()
    {
        var before = await DigestOf(App);
        var moved = Path.Combine(Base, "moved");
        Directory.Move(ContextDir, moved);
        var request = App with { Source = new ContextCopySource(new Berth.Build.Context.BuildContext(moved, Berth.Build.Ignore.IgnoreMatcher.FromText(""))) };
        Assert.Equal(before, await DigestOf(request));
        Directory.Move(moved, ContextDir);
    }
}
