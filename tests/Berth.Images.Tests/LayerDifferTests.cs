using System.Formats.Tar;
using System.Security.Cryptography;
using Berth.Images.Layers;
using Berth.Images.Tests.Layers;
using Berth.Linux.Interop;

namespace Berth.Images.Tests;

public sealed class LayerDifferTests
{
    private static readonly byte[] Caps = [0x01, 0, 0, 0x02, 0x80, 0x20, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];

    /// <summary>A lower dir, and an upper dir made by applying a layer with overlay whiteouts.</summary>
    private static async Task<(LayerRoot Lower, LayerRoot Upper)> Make()
    {
        var lower = new LayerRoot();
        await LayerApplier.ApplyAsync(new MemoryStream(new LayerTar()
            .Dir("etc/").File("etc/gone", "g").File("etc/keep", "k")
            .Dir("opaque/").File("opaque/old", "o")
            .Bytes()), lower.Target);

        var upper = new LayerRoot();
        await LayerApplier.ApplyAsync(new MemoryStream(new LayerTar()
            .Dir("etc/").File("etc/.wh.gone", "").File("etc/.wh.never-was", "")
            .File("etc/new", "new", (UnixFileMode)0x1a0, uid: 7, gid: 8)
            .HardLink("etc/new-link", "etc/new")
            .Symlink("etc/sym", "new")
            .Dir("opaque/").File("opaque/.wh..wh..opq", "").File("opaque/fresh", "f")
            .Fifo("fifo")
            .RawPaxFile("bin/ping", "ELF", new() { ["SCHILY.xattr.security.capability"] = Caps })
            .Device("dev/null", TarEntryType.CharacterDevice, 1, 3)
            .Bytes()), upper.Target, new LayerOptions { Whiteouts = WhiteoutFormat.Overlay });
        return (lower, upper);
    }

    [Fact]
    public async Task PlanTurnsOverlayWhiteoutsIntoOciEntriesInSortedOrder()
    {
        var (lower, upper) = await Make();
        using var _ = lower;
        using var __ = upper;

        var plan = LayerDiffer.Plan(upper.Target, [lower.Target]);

        Assert.Equal(
            new[]
            {
                "bin/", "bin/ping", "dev/", "dev/null", "etc/", "etc/.wh.gone", "etc/new", "etc/new-link", "etc/sym",
                "fifo", "opaque/", "opaque/.wh..wh..opq", "opaque/fresh",
            },
            plan.Select(c => c.Name).ToArray());
        Assert.Equal(LayerChangeKind.HardLink, plan.Single(c => c.Name == "etc/new-link").Kind);
        Assert.Equal("etc/new", plan.Single(c => c.Name == "etc/new-link").LinkName);
        Assert.Equal(Caps, plan.Single(c => c.Name == "bin/ping").Xattrs["security.capability"]);
        Assert.DoesNotContain(plan.Single(c => c.Name == "opaque/").Xattrs.Keys, k => k.StartsWith("trusted.overlay."));
    }

    [Fact]
    public async Task DiffAppliedOnTheLowerGivesTheMergedTree()
    {
        var (lower, upper) = await Make();
        using var _ = lower;
        using var __ = upper;
        var tar = new MemoryStream();

        var written = await LayerDiffer.WriteAsync(upper.Target, [lower.Target], tar);
        var bytes = tar.ToArray();
        var applied = await LayerApplier.ApplyAsync(new MemoryStream(bytes), lower.Target);

        Assert.Equal("sha256:" + Convert.ToHexStringLower(SHA256.HashData(bytes)), written.DiffId.ToString());
        Assert.Equal(written.DiffId, applied.DiffId);
        Assert.Equal(bytes.Length, written.Size);
        Assert.False(File.Exists(lower["etc/gone"]));
        Assert.Equal("k", File.ReadAllText(lower["etc/keep"]));
        Assert.Equal("new", File.ReadAllText(lower["etc/new-link"]));
        Assert.Equal("regular file 640 7:8 0:0 " + LayerTar.Time.ToUnixTimeSeconds(), LayerRoot.Stat(lower["etc/new"]));
        Assert.Equal("new", new FileInfo(lower["etc/sym"]).LinkTarget);
        Assert.Equal(new[] { "fresh" }, Directory.EnumerateFileSystemEntries(lower["opaque"]).Select(p => Path.GetFileName(p)).ToArray());
        Assert.Equal(Caps, LayerRoot.GetXattr(lower["bin/ping"], "security.capability"));
        Assert.StartsWith("character special file 660 0:0 1:3", LayerRoot.Stat(lower["dev/null"]));
        Assert.StartsWith("fifo", LayerRoot.Stat(lower["fifo"]));
        lower.AssertSentinelUntouched();
    }

    [Fact]
    public async Task SameTreeGivesTheSameBytesAndEpochClampsTimes()
    {
        var (lower, upper) = await Make();
        using var _ = lower;
        using var __ = upper;
        var epoch = new DateTimeOffset(2001, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var options = new LayerDiffOptions { SourceDateEpoch = epoch };

        var first = new MemoryStream();
        var second = new MemoryStream();
        await LayerDiffer.WriteAsync(upper.Target, [lower.Target], first, options);
        Touch(upper["etc/new"]); // a later mtime is clamped to the epoch anyway
        await LayerDiffer.WriteAsync(upper.Target, [lower.Target], second, options);

        Assert.Equal(first.ToArray(), second.ToArray());
        using var reader = new TarReader(new MemoryStream(first.ToArray()));
        var count = 0;
        while (reader.GetNextEntry() is { } entry)
        {
            Assert.Equal(epoch, entry.ModificationTime);
            if (entry is PaxTarEntry pax)
            {
                Assert.DoesNotContain("atime", pax.ExtendedAttributes.Keys);
                Assert.DoesNotContain("ctime", pax.ExtendedAttributes.Keys);
            }

            count++;
        }

        Assert.Equal(13, count);
    }

    [Fact]
    public async Task LongNamesAndLinkTargetsGoThroughPax()
    {
        using var upper = new LayerRoot();
        var longDir = string.Join('/', Enumerable.Repeat("directory-name-of-some-length", 6));
        Directory.CreateDirectory(upper[longDir]);
        File.WriteAllText(upper[longDir + "/file"], "x");
        File.CreateSymbolicLink(upper["link"], "/" + longDir + "/file");
        var tar = new MemoryStream();
        await LayerDiffer.WriteAsync(upper.Target, [], tar);

        using var target = new LayerRoot();
        await LayerApplier.ApplyAsync(new MemoryStream(tar.ToArray()), target.Target);
        Assert.Equal("x", File.ReadAllText(target[longDir + "/file"]));
        Assert.Equal("/" + longDir + "/file", new FileInfo(target["link"]).LinkTarget);
    }

    private static unsafe void Touch(string path)
    {
        var times = stackalloc Timespec[2];
        times[0] = times[1] = new Timespec { Sec = DateTimeOffset.UtcNow.ToUnixTimeSeconds(), Nsec = 0 };
        Assert.Equal(0, Libc.utimensat(Libc.AT_FDCWD, path, times, 0));
    }
}
