using System.Diagnostics;
using System.Formats.Tar;
using System.IO.Compression;
using Berth.Errdefs;

namespace Berth.Build.Tests.Copy;

public sealed class AddArchiveTests : CopyFixture
{
    private static byte[] Tar(Action<TarWriter> write)
    {
        using var buffer = new MemoryStream();
        using (var writer = new TarWriter(buffer, TarEntryFormat.Pax, leaveOpen: true))
        {
            write(writer);
        }
        return buffer.ToArray();
    }

    private static byte[] SampleTar() => Tar(w =>
    {
        w.WriteEntry(new PaxTarEntry(TarEntryType.Directory, "etc/") { Mode = (UnixFileMode)0x1C0, Uid = 7, Gid = 8 });
        w.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, "etc/conf")
        {
            Mode = (UnixFileMode)0x1A0, Uid = 5, Gid = 6, ModificationTime = new DateTimeOffset(2010, 1, 1, 0, 0, 0, TimeSpan.Zero),
            DataStream = new MemoryStream("conf"u8.ToArray()),
        });
        w.WriteEntry(new PaxTarEntry(TarEntryType.SymbolicLink, "etc/link") { LinkName = "conf" });
        w.WriteEntry(new PaxTarEntry(TarEntryType.HardLink, "etc/hard") { LinkName = "etc/conf" });
        w.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, "./.wh.gone") { DataStream = new MemoryStream() });
        w.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, "/abs/file") { Mode = (UnixFileMode)0x1A4, DataStream = new MemoryStream("abs"u8.ToArray()) });
    });

    private static byte[] Compress(byte[] tar, string how) => how switch
    {
        "none" => tar,
        "gzip" => Gzip(tar),
        "zstd" => ZstdCompress(tar),
        _ => Tool(how, tar),
    };

    private static byte[] Gzip(byte[] data)
    {
        using var output = new MemoryStream();
        using (var gz = new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true))
        {
            gz.Write(data);
        }
        return output.ToArray();
    }

    private static byte[] ZstdCompress(byte[] data)
    {
        using var compressor = new ZstdSharp.Compressor();
        return compressor.Wrap(data).ToArray();
    }

    /// <summary>bzip2 and xz from the system's own tools, the peers the decoders must agree with.</summary>
    private static byte[] Tool(string tool, byte[] data)
    {
        using var process = Process.Start(new ProcessStartInfo(tool, "-c") { RedirectStandardInput = true, RedirectStandardOutput = true })!;
        var output = new MemoryStream();
        var read = process.StandardOutput.BaseStream.CopyToAsync(output);
        process.StandardInput.BaseStream.Write(data);
        process.StandardInput.Close();
        read.Wait();
        process.WaitForExit();
        Assert.Equal(0, process.ExitCode);
        return output.ToArray();
    }

    private string Archive(string name, byte[] bytes)
    {
        var path = Path.Combine(ContextDir, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    [Theory]
    [InlineData("none")]
    [InlineData("gzip")]
    [InlineData("bzip2")]
    [InlineData("xz")]
    [InlineData("zstd")]
    public async Task LocalArchivesAreExtractedWhateverTheCompression(string compression)
    {
        Archive("rootfs.bin", Compress(SampleTar(), compression)); // detected by content, not name
        await CopyAsync(Request("/unpacked", "rootfs.bin") with { IsAdd = true });
        Assert.Equal("conf", File.ReadAllText(InRoot("/unpacked/etc/conf")));
        var conf = StatOf(InRoot("/unpacked/etc/conf"));
        Assert.Equal("640", Octal(conf.Perm));
        Assert.Equal((5, 6), (conf.Uid, conf.Gid)); // the archive's owners are kept
        Assert.Equal(new DateTimeOffset(2010, 1, 1, 0, 0, 0, TimeSpan.Zero).ToUnixTimeSeconds(), conf.Mtime);
        var etc = StatOf(InRoot("/unpacked/etc"));
        Assert.Equal(("700", 7, 8), (Octal(etc.Perm), etc.Uid, etc.Gid));
        Assert.Equal("conf", new FileInfo(InRoot("/unpacked/etc/link")).LinkTarget);
        Assert.Equal(conf.Ino, StatOf(InRoot("/unpacked/etc/hard")).Ino);
        Assert.True(File.Exists(InRoot("/unpacked/.wh.gone"))); // no whiteout meaning outside a layer
        Assert.Equal("abs", File.ReadAllText(InRoot("/unpacked/abs/file")));
    }

    [Fact]
    public async Task ChownOverridesTheArchiveOwnersAndExistingFilesAreReplaced()
    {
        Archive("a.tar.gz", Compress(SampleTar(), "gzip"));
        Directory.CreateDirectory(InRoot("/u/etc"));
        File.WriteAllText(InRoot("/u/etc/conf"), "old and longer");
        File.WriteAllText(InRoot("/u/keep"), "kept");
        await CopyAsync(Request("/u", "a.tar.gz") with { IsAdd = true, Chown = "11:12" });
        var conf = StatOf(InRoot("/u/etc/conf"));
        Assert.Equal((11, 12), (conf.Uid, conf.Gid));
        Assert.Equal("conf", File.ReadAllText(InRoot("/u/etc/conf")));
        Assert.Equal("kept", File.ReadAllText(InRoot("/u/keep")));
    }

    [Fact]
    public async Task CopyNeverExtracts()
    {
        var bytes = Compress(SampleTar(), "gzip");
        Archive("a.tar.gz", bytes);
        await CopyAsync(Request("/c/", "a.tar.gz"));
        Assert.Equal(bytes, File.ReadAllBytes(InRoot("/c/a.tar.gz")));
    }

    [Fact]
    public async Task AFileNamedLikeAnArchiveButNotOneIsCopied()
    {
        Archive("fake.tar.gz", "just text"u8.ToArray());
        Archive("empty.tar", Tar(_ => { }));
        await CopyAsync(Request("/f/", "fake.tar.gz", "empty.tar") with { IsAdd = true });
        Assert.Equal("just text", File.ReadAllText(InRoot("/f/fake.tar.gz")));
        Assert.True(File.Exists(InRoot("/f/empty.tar")));
    }

    [Fact]
    public async Task EntriesThatClimbOutAreRefused()
    {
        Archive("evil.tar", Tar(w => w.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, "../../canary") { DataStream = new MemoryStream("x"u8.ToArray()) })));
        var e = await Assert.ThrowsAsync<BerthException>(() => CopyAsync(Request("/e", "evil.tar") with { IsAdd = true }));
        Assert.Equal(ErrorKind.InvalidArgument, e.Kind);
        Assert.Contains("evil.tar", e.Message);
        Assert.Contains("../../canary", e.Message);
        AssertCanary();
    }

    [Fact]
    public async Task SymlinksInTheArchiveCannotCarryEntriesOutside()
    {
        Archive("links.tar", Tar(w =>
        {
            w.WriteEntry(new PaxTarEntry(TarEntryType.SymbolicLink, "up") { LinkName = "../../../.." });
            w.WriteEntry(new PaxTarEntry(TarEntryType.SymbolicLink, "abs") { LinkName = Base });
            w.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, "up/canary") { DataStream = new MemoryStream("1"u8.ToArray()) });
            w.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, "abs/canary") { DataStream = new MemoryStream("2"u8.ToArray()) });
            w.WriteEntry(new PaxTarEntry(TarEntryType.HardLink, "hl") { LinkName = "../../canary" });
        }));
        var e = await Assert.ThrowsAsync<BerthException>(() => CopyAsync(Request("/x/y", "links.tar") with { IsAdd = true }));
        Assert.Contains("hl", e.Message);
        AssertCanary();
        Assert.Equal("1", File.ReadAllText(InRoot("/x/y/canary")));        // up/ stops at the destination
        Assert.Equal("2", File.ReadAllText(InRoot("/x/y" + Base + "/canary")));
    }

    [Fact]
    public async Task ACorruptArchiveIsAnErrorNamingIt()
    {
        var gz = Compress(SampleTar(), "gzip");
        Archive("cut.tgz", gz[..(gz.Length / 2)]);
        // Half a gzip still starts with a readable tar header, so it is taken as an archive.
        var e = await Assert.ThrowsAsync<BerthException>(() => CopyAsync(Request("/c", "cut.tgz") with { IsAdd = true }));
        Assert.Contains("cut.tgz", e.Message);
    }
}
