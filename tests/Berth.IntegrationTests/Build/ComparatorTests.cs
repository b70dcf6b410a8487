using System.Formats.Tar;
using System.IO.Compression;

namespace Berth.IntegrationTests.Build;

/// <summary>
/// The parity comparator on hand-made layers, without root or peers: whiteouts and opaque
/// directories flatten as overlayfs stacks them, hard links group, and a difference of any
/// compared attribute shows up in the diff.
/// </summary>
public sealed class ComparatorTests
{
    private static byte[] Layer(Action<TarWriter> write, bool gzip = false)
    {
        var tar = new MemoryStream();
        using (var writer = new TarWriter(tar, TarEntryFormat.Pax, leaveOpen: true))
            write(writer);
        if (!gzip)
            return tar.ToArray();
        var compressed = new MemoryStream();
        using (var zip = new GZipStream(compressed, CompressionLevel.Fastest, leaveOpen: true))
            zip.Write(tar.ToArray());
        return compressed.ToArray();
    }

    private static void Dir(TarWriter w, string name, UnixFileMode mode = (UnixFileMode)0x1ed) =>
        w.WriteEntry(new PaxTarEntry(TarEntryType.Directory, name) { Mode = mode });

    private static void File(TarWriter w, string name, string content, int uid = 0, UnixFileMode mode = (UnixFileMode)0x1a4) =>
        w.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, name)
        {
            Mode = mode, Uid = uid, DataStream = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(content)),
        });

    private static void Link(TarWriter w, TarEntryType type, string name, string target) =>
        w.WriteEntry(new PaxTarEntry(type, name) { LinkName = target, Mode = (UnixFileMode)0x1ff });

    private static Dictionary<string, FsEntry> Flatten(params byte[][] layers)
    {
        var flattener = new LayerFlattener();
        for (var i = 0; i < layers.Length; i++)
            flattener.Apply(layers[i], $"layer{i}");
        return flattener.List().ToDictionary(e => e.Path);
    }

    [Fact]
    public void WhiteoutsHideTheLowerLayersOnly()
    {
        var lower = Layer(w =>
        {
            Dir(w, "./");
            Dir(w, "./etc/");
            File(w, "./etc/group", "root:x:0:");
            File(w, "./etc/passwd", "root");
            Dir(w, "./usr/sbin/");
            File(w, "./usr/sbin/old", "old");
            Dir(w, "./home/");
            Dir(w, "./home/user/");
            File(w, "./home/user/.profile", "x");
        });
        var upper = Layer(w =>
        {
            File(w, "etc/.wh.group", "");
            File(w, "home/.wh.user", "");
            // The opaque marker after this layer's own entry: it still survives.
            File(w, "usr/sbin/new", "new");
            File(w, "usr/sbin/.wh..wh..opq", "");
        }, gzip: true);
        var files = Flatten(lower, upper);
        Assert.False(files.ContainsKey("/etc/group"));
        Assert.True(files.ContainsKey("/etc/passwd"));
        Assert.False(files.ContainsKey("/home/user"));
        Assert.False(files.ContainsKey("/home/user/.profile"));
        Assert.True(files.ContainsKey("/home"));
        Assert.False(files.ContainsKey("/usr/sbin/old"));
        Assert.True(files.ContainsKey("/usr/sbin/new"));
        Assert.DoesNotContain(files.Keys, k => k.Contains(".wh.", StringComparison.Ordinal));
    }

    [Fact]
    public void AFileOverADirectoryReplacesItsTreeAndHardLinksGroup()
    {
        var lower = Layer(w =>
        {
            Dir(w, "root/");
            File(w, "root/.profile", "p");
            File(w, "a", "same", uid: 7, mode: (UnixFileMode)0x9ed); // 04755
        });
        var upper = Layer(w =>
        {
            File(w, "root", "now a file");
            Link(w, TarEntryType.HardLink, "b", "a");
            Link(w, TarEntryType.SymbolicLink, "c", "a");
        });
        var files = Flatten(lower, upper);
        Assert.Equal("file", files["/root"].Type);
        Assert.False(files.ContainsKey("/root/.profile"));
        Assert.Equal(["/a", "/b"], files["/b"].Links!);
        Assert.Equal(files["/a"].Sha256, files["/b"].Sha256);
        Assert.Equal(0x9ed, files["/b"].Mode);
        Assert.Equal(7, files["/b"].Uid);
        Assert.Equal("a", files["/c"].LinkTarget);
        Assert.Null(files["/c"].Links);
    }

    [Fact]
    public void TheDiffNamesEveryDifferingAttribute()
    {
        FsEntry Entry(int mode = 0x1a4, int uid = 0, string sha = "aa", string? target = null) =>
            new("/f", target is null ? "file" : "symlink", mode, uid, 0, 1, sha + new string('0', 62), target, null, null);
        var config = new Dictionary<string, string> { ["Cmd"] = "[\"sh\"]" };
        var a = new ImageSnapshot("left", [Entry()], config);
        Assert.Null(SnapshotDiff.Compare(a, a with { Builder = "right" }));
        foreach (var other in new[] { Entry(mode: 0x9a4), Entry(uid: 1), Entry(sha: "bb"), Entry(target: "x") })
            Assert.Contains("differs: left /f", SnapshotDiff.Compare(a, a with { Builder = "right", Files = [other] }));
        Assert.Contains("only in left: /f", SnapshotDiff.Compare(a, a with { Builder = "right", Files = [] }));
        var diff = SnapshotDiff.Compare(a, a with { Builder = "right", Config = new Dictionary<string, string> { ["Cmd"] = "null" } });
        Assert.Contains("config Cmd: left [\"sh\"] | right null", diff);
    }

    [Fact]
    public void KnownDifferencesAreNarrow()
    {
        var empty = new Dictionary<string, string>();
        ImageSnapshot Snapshot(string builder, string labels, params FsEntry[] files) =>
            new(builder, files, new Dictionary<string, string>(empty) { ["Labels"] = labels, ["User"] = "\"\"" });
        var hostname = new FsEntry("/etc/hostname", "file", 0x1ed, 0, 0, 0, new string('e', 64), null, null, null);
        var buildah = Snapshot("buildah", "{\"io.buildah.version\":\"1.28.2\",\"a\":\"1\"}", hostname);
        var berth = Snapshot("berth", "{\"a\":\"1\"}");
        var (x, y, notes) = KnownDifferences.Apply("run", berth, buildah);
        Assert.Null(SnapshotDiff.Compare(x, y));
        Assert.Equal(3, notes.Count);

        // The same extras from a builder that is not buildah are differences.
        var (p, q, _) = KnownDifferences.Apply("run", berth, Snapshot("docker", "{\"io.buildah.version\":\"1.28.2\",\"a\":\"1\"}", hostname));
        var diff = SnapshotDiff.Compare(p, q);
        Assert.Contains("io.buildah.version", diff);
        Assert.Contains("only in docker: /etc/hostname", diff);
    }
}
