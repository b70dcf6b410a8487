using System.Formats.Tar;
using System.Security.Cryptography;
using Berth.Errdefs;
using Berth.Images.Layers;
using Berth.Images.Tests.Layers;

namespace Berth.Images.Tests;

public sealed class LayerApplierTests
{
    private const long T = 1577934245; // LayerTar.Time

    private static Task<LayerApplyResult> Apply(byte[] layer, string target, LayerOptions? options = null) =>
        LayerApplier.ApplyAsync(new MemoryStream(layer), target, options);

    [Fact]
    public async Task AppliesEveryKindOfEntryWithItsMetadata()
    {
        using var root = new LayerRoot();
        var tar = new LayerTar()
            .Dir("etc/", (UnixFileMode)0x1e8 /* 0750 */, uid: 1000, gid: 1001, mtime: LayerTar.Time.AddDays(-1))
            .File("etc/passwd", "root:x:0:0::/root:/bin/sh\n", (UnixFileMode)0x9ed /* 4755 */, uid: 1000, gid: 1001)
            .Symlink("etc/link", "passwd")
            .HardLink("etc/hard", "etc/passwd")
            .Device("dev/null", TarEntryType.CharacterDevice, 1, 3)
            .Device("dev/loop0", TarEntryType.BlockDevice, 7, 0)
            .Fifo("run/fifo")
            .File("x/user", "u", pax: new() { ["SCHILY.xattr.user.comment"] = "hello" })
            .Bytes();

        var result = await Apply(tar, root.Target);

        Assert.Equal("directory 750 1000:1001 0:0 " + (T - 86400), LayerRoot.Stat(root["etc"]));
        Assert.Equal("regular file 4755 1000:1001 0:0 " + T, LayerRoot.Stat(root["etc/passwd"]));
        Assert.Equal("root:x:0:0::/root:/bin/sh\n", File.ReadAllText(root["etc/passwd"]));
        Assert.Equal("passwd", new FileInfo(root["etc/link"]).LinkTarget);
        Assert.StartsWith("symbolic link 777 0:0 0:0 " + T, LayerRoot.Stat(root["etc/link"]));
        Assert.Equal(new FileInfo(root["etc/passwd"]).Length, new FileInfo(root["etc/hard"]).Length);
        Assert.Equal(Inode(root["etc/passwd"]), Inode(root["etc/hard"]));
        Assert.Equal("character special file 660 0:0 1:3 " + T, LayerRoot.Stat(root["dev/null"]));
        Assert.Equal("block special file 660 0:0 7:0 " + T, LayerRoot.Stat(root["dev/loop0"]));
        Assert.Equal("fifo 644 0:0 0:0 " + T, LayerRoot.Stat(root["run/fifo"]));
        Assert.Equal("hello"u8.ToArray(), LayerRoot.GetXattr(root["x/user"], "user.comment"));
        Assert.Equal(LayerCompression.None, result.Compression);
        Assert.Equal(8, result.Entries);
        Assert.Equal(tar.Length, result.Size);
        Assert.Equal("sha256:" + Convert.ToHexStringLower(SHA256.HashData(tar)), result.DiffId.ToString());
        root.AssertSentinelUntouched();
    }

    [Fact]
    public async Task BinarySecurityCapabilitySurvivesChown()
    {
        using var root = new LayerRoot();
        // vfs_cap_data v2: cap_setuid (bit 7) and cap_net_raw (bit 13) permitted; 0x80 is not UTF-8.
        byte[] caps = [0x01, 0, 0, 0x02, 0x80, 0x20, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
        var tar = new LayerTar()
            .File("first", "1")
            .RawPaxFile("bin/ping", "ELF", new() { ["SCHILY.xattr.security.capability"] = caps, ["SCHILY.xattr.user.bin"] = [0xff, 0x00, 0xfe] })
            .RawPaxDir("etc", new() { ["SCHILY.xattr.user.dir"] = [0x80, 0x81] })
            .File("etc/inside", "i")
            .Bytes();

        await Apply(tar, root.Target);

        Assert.Equal(caps, LayerRoot.GetXattr(root["bin/ping"], "security.capability"));
        Assert.Equal(new byte[] { 0xff, 0x00, 0xfe }, LayerRoot.GetXattr(root["bin/ping"], "user.bin"));
        Assert.Equal("ELF", File.ReadAllText(root["bin/ping"]));
        Assert.Equal(new byte[] { 0x80, 0x81 }, LayerRoot.GetXattr(root["etc"], "user.dir")); // set after its contents
    }

    [Fact]
    public async Task DirectoryTimesAreSetAfterTheirContents()
    {
        using var root = new LayerRoot();
        var tar = new LayerTar().Dir("a/").Dir("a/b/").File("a/b/f", "x").File("a/g", "y").Bytes();
        await Apply(tar, root.Target);
        Assert.EndsWith(" " + T, LayerRoot.Stat(root["a"]));
        Assert.EndsWith(" " + T, LayerRoot.Stat(root["a/b"]));
    }

    [Fact]
    public async Task WhiteoutsAndOpaqueDirectoriesAcrossTwoLayers()
    {
        using var root = new LayerRoot();
        var lower = new LayerTar()
            .Dir("keep/").File("keep/a", "a").File("keep/gone", "g")
            .Dir("opaque/").File("opaque/old", "o").Dir("opaque/sub/").File("opaque/sub/old", "o")
            .Dir("tree/").File("tree/deep", "d").Symlink("tree/out", root.Sentinel)
            .Bytes();
        var upper = new LayerTar()
            .File("keep/.wh.gone", "")
            .File(".wh.tree", "")
            .Dir("opaque/").File("opaque/new", "n").Dir("opaque/sub/")
            .File("opaque/.wh..wh..opq", "")
            .File("opaque/later", "l")
            .File(".wh.nothing-there", "")
            .Bytes();

        await Apply(lower, root.Target);
        await Apply(upper, root.Target);

        Assert.True(File.Exists(root["keep/a"]));
        Assert.False(File.Exists(root["keep/gone"]));
        Assert.False(Directory.Exists(root["tree"]));
        Assert.Equal(new[] { "later", "new", "sub" }, Directory.EnumerateFileSystemEntries(root["opaque"]).Select(p => Path.GetFileName(p)).Order().ToArray());
        Assert.Empty(Directory.EnumerateFileSystemEntries(root["opaque/sub"]));
        Assert.False(File.Exists(root["keep/.wh.gone"]));
        Assert.False(File.Exists(root["opaque/.wh..wh..opq"]));
        root.AssertSentinelUntouched();
    }

    [Fact]
    public async Task OverlayFormatWritesOverlayWhiteouts()
    {
        using var root = new LayerRoot();
        var tar = new LayerTar().File("d/.wh.gone", "").Dir("o/").File("o/.wh..wh..opq", "").File("o/f", "f").Bytes();

        await Apply(tar, root.Target, new LayerOptions { Whiteouts = WhiteoutFormat.Overlay });

        Assert.StartsWith("character special file 0 0:0 0:0", LayerRoot.Stat(root["d/gone"]));
        Assert.Equal("y"u8.ToArray(), LayerRoot.GetXattr(root["o"], "trusted.overlay.opaque"));
        Assert.True(File.Exists(root["o/f"]));
    }

    [Fact]
    public async Task ReplacesWhatALowerLayerPutThere()
    {
        using var root = new LayerRoot();
        await Apply(new LayerTar().File("a", "file").Dir("b/").File("b/x", "x").Symlink("c", root.Sentinel + "/passwd").Bytes(), root.Target);
        await Apply(new LayerTar().Dir("a/").File("b", "now a file").File("c", "not through the link").Bytes(), root.Target);

        Assert.True(Directory.Exists(root["a"]));
        Assert.Equal("now a file", File.ReadAllText(root["b"]));
        Assert.Null(new FileInfo(root["c"]).LinkTarget);
        Assert.Equal("not through the link", File.ReadAllText(root["c"]));
        root.AssertSentinelUntouched();
    }

    [Theory]
    [InlineData("gzip")]
    [InlineData("zstd")]
    public async Task CompressedLayersGiveTheDiffIdOfTheUncompressedTar(string kind)
    {
        using var root = new LayerRoot();
        var tar = new LayerTar().Dir("d/").File("d/f", new string('z', 100_000)).Bytes();
        var blob = kind == "gzip" ? LayerTar.Gzip(tar) : LayerTar.Zstd(tar);

        var result = await Apply(blob, root.Target);

        Assert.Equal(kind == "gzip" ? LayerCompression.Gzip : LayerCompression.Zstd, result.Compression);
        Assert.Equal("sha256:" + Convert.ToHexStringLower(SHA256.HashData(tar)), result.DiffId.ToString());
        Assert.Equal(tar.Length, result.Size);
        Assert.Equal(100_000, new FileInfo(root["d/f"]).Length);
    }

    [Fact]
    public async Task TruncatedTarNamesTheEntry()
    {
        using var root = new LayerRoot();
        var tar = new LayerTar().File("small", "s").File("big", new string('b', 10_000)).Bytes();
        var e = await Assert.ThrowsAsync<BerthException>(() => Apply(tar[..5000], root.Target));
        Assert.Equal(ErrorKind.InvalidArgument, e.Kind);
        Assert.Contains("`big`", e.Message);
        Assert.Contains("truncated", e.Message);
    }

    [Fact]
    public async Task TruncatedHeaderIsRejected()
    {
        using var root = new LayerRoot();
        var tar = new LayerTar().File("small", "s").File("big", "b").Bytes();
        // "small" is 2048 bytes (PAX header, its data, header, data); cut into the next header.
        var e = await Assert.ThrowsAsync<BerthException>(() => Apply(tar[..2748], root.Target));
        Assert.Equal(ErrorKind.InvalidArgument, e.Kind);
        Assert.Contains("entry after `small`: corrupt or truncated archive", e.Message);
    }

    [Theory]
    [InlineData("gzip")]
    [InlineData("zstd")]
    public async Task TruncatedCompressedLayerIsRejected(string kind)
    {
        using var root = new LayerRoot();
        var random = new byte[50_000];
        new Random(1).NextBytes(random);
        var tar = new LayerTar().File("a", "a").File("noise", Convert.ToBase64String(random)).Bytes();
        var blob = kind == "gzip" ? LayerTar.Gzip(tar) : LayerTar.Zstd(tar);

        var e = await Assert.ThrowsAsync<BerthException>(() => Apply(blob[..(blob.Length / 2)], root.Target));

        Assert.Equal(ErrorKind.InvalidArgument, e.Kind);
        Assert.Contains("corrupt or truncated archive", e.Message);
    }

    [Fact]
    public async Task GarbageIsRejected()
    {
        using var root = new LayerRoot();
        var garbage = new byte[2048];
        new Random(2).NextBytes(garbage);
        var e = await Assert.ThrowsAsync<BerthException>(() => Apply(garbage, root.Target));
        Assert.Equal(ErrorKind.InvalidArgument, e.Kind);
    }

    [Fact]
    public async Task LimitsAreEnforced()
    {
        using var root = new LayerRoot();
        var tar = new LayerTar().File("a", "a").File("b", "b").File("c", new string('c', 4096)).Bytes();

        var entries = await Assert.ThrowsAsync<BerthException>(() => Apply(tar, root.Target, new LayerOptions { MaxEntries = 2 }));
        Assert.Contains("more than 2 entries", entries.Message);

        var size = await Assert.ThrowsAsync<BerthException>(() => Apply(tar, root.Target, new LayerOptions { MaxTotalSize = 4096 }));
        Assert.Contains("limit of 4096 bytes", size.Message);

        var name = await Assert.ThrowsAsync<BerthException>(() =>
            Apply(new LayerTar().File(new string('n', 200), "x").Bytes(), root.Target, new LayerOptions { MaxNameLength = 100 }));
        Assert.Contains("longer than 100", name.Message);
        Assert.All(new[] { entries, size, name }, e => Assert.Equal(ErrorKind.InvalidArgument, e.Kind));
    }

    [Theory]
    [InlineData((byte)'x')]
    [InlineData((byte)'L')]
    public async Task HugeMetadataHeaderIsRejectedBeforeItIsRead(byte type)
    {
        using var root = new LayerRoot();
        var tar = LayerTar.RawHeader("PaxHeaders/f", type, 1L << 30).Concat(new byte[4096]).ToArray();
        var before = GC.GetTotalAllocatedBytes(precise: true);

        var e = await Assert.ThrowsAsync<BerthException>(() => Apply(tar, root.Target));

        Assert.Equal(ErrorKind.InvalidArgument, e.Kind);
        Assert.True(GC.GetTotalAllocatedBytes(precise: true) - before < 64 << 20, "allocated the claimed size");
    }

    [Fact]
    public async Task CorruptedGzipOrWrongDiffIdIsRejected()
    {
        using var root = new LayerRoot();
        var tar = new LayerTar().File("f", new string('q', 20_000) + "end").Bytes();
        var expected = Berth.Oci.Digest.Of(tar);
        var blob = LayerTar.Gzip(tar);
        blob[blob.Length / 2] ^= 0x55;

        var corrupt = await Assert.ThrowsAsync<BerthException>(() => Apply(blob, root.Target, new LayerOptions { ExpectedDiffId = expected }));
        Assert.Equal(ErrorKind.InvalidArgument, corrupt.Kind);

        var other = Berth.Oci.Digest.Of("other"u8);
        var mismatch = await Assert.ThrowsAsync<BerthException>(() => Apply(tar, root.Target, new LayerOptions { ExpectedDiffId = other }));
        Assert.Contains("diff id mismatch", mismatch.Message);
        Assert.Equal(expected, (await Apply(tar, root.Target, new LayerOptions { ExpectedDiffId = expected })).DiffId);
    }

    [Fact]
    public async Task ThousandsOfEntriesApplyAndDiffBack()
    {
        using var root = new LayerRoot();
        var builder = new LayerTar();
        for (var d = 0; d < 50; d++)
        {
            builder.Dir($"usr/share/d{d:D3}/");
            for (var f = 0; f < 100; f++)
            {
                builder.File($"usr/share/d{d:D3}/f{f:D3}", "x");
            }
        }

        var tar = builder.Bytes();
        var applied = await Apply(tar, root.Target);
        var diff = await LayerDiffer.WriteAsync(root.Target, [], Stream.Null);

        Assert.Equal(5_050, applied.Entries);
        Assert.Equal(5_052, diff.Entries); // plus usr/ and usr/share/, created as parents
    }

    [Fact]
    public async Task OwnershipCanBeLeftToTheCaller()
    {
        using var root = new LayerRoot();
        await Apply(new LayerTar().File("f", "x", uid: 1000, gid: 1000).Bytes(), root.Target, new LayerOptions { ApplyOwnership = false });
        Assert.StartsWith("regular file 644 0:0", LayerRoot.Stat(root["f"]));
    }

    [Fact]
    public async Task GzipBombStopsAtTheSizeLimit()
    {
        using var root = new LayerRoot();
        var tar = new LayerTar().File("zeros", new string('\0', 32 << 20)).Bytes();
        var blob = LayerTar.Gzip(tar);
        Assert.True(blob.Length < 1 << 20);

        var e = await Assert.ThrowsAsync<BerthException>(() => Apply(blob, root.Target, new LayerOptions { MaxTotalSize = 4 << 20 }));

        Assert.Equal(ErrorKind.InvalidArgument, e.Kind);
        Assert.Contains("entry `zeros`", e.Message);
        Assert.True(new FileInfo(root["zeros"]).Length <= 4 << 20);
    }

    private static string Inode(string path)
    {
        var psi = new System.Diagnostics.ProcessStartInfo("stat", ["-c", "%i", path]) { RedirectStandardOutput = true };
        using var p = System.Diagnostics.Process.Start(psi)!;
        return p.StandardOutput.ReadToEnd();
    }
}
