using System.Formats.Tar;
using Berth.IntegrationTests.Cli;

namespace Berth.IntegrationTests.Faults;

/// <summary>
/// Hostile or broken archives: a truncated or corrupt `load` fails with one message and leaves
/// the images as they were; layer tars that try to write outside the root (../, absolute names,
/// symlinks pointing out) never write outside it, at import or when a container uses the layer.
/// </summary>
public sealed class BadArchiveTests(BerthFixture berth) : IClassFixture<BerthFixture>
{
    private string Canary => Path.Combine(berth.Root, "canary");

    private string Images() => berth.Ok("images", "--no-trunc", "--format", "{{.Repository}}:{{.Tag}} {{.ID}}");

    private string SavedBusybox()
    {
        var path = Path.Combine(berth.Root, "busybox-save.tar");
        if (!File.Exists(path))
            berth.Ok("save", "-o", path, BerthFixture.Image);
        return path;
    }

    private void AssertLoadRefused(string archive, string before)
    {
        var result = berth.Run("load", "-i", archive);
        Assert.True(result.ExitCode == 1, result.ToString());
        var lines = result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(lines.Length == 1 && lines[0].StartsWith("Error: ", StringComparison.Ordinal), result.ToString());
        Assert.Equal(before, Images());
    }

    [BerthFact]
    public async Task TruncatedArchiveIsRefusedAndImagesAreUnchanged()
    {
        var before = Images();
        var whole = File.ReadAllBytes(SavedBusybox());
        foreach (var fraction in new[] { 0.1, 0.5, 0.9 })
        {
            var cut = Path.Combine(berth.Root, $"cut-{fraction}.tar");
            File.WriteAllBytes(cut, whole[..(int)(whole.Length * fraction)]);
            AssertLoadRefused(cut, before);
        }
        Assert.Empty(await StoreCheck.ImageProblemsAsync(berth.Root));
    }

    [BerthFact]
    public async Task CorruptArchiveIsRefusedAndImagesAreUnchanged()
    {
        // An image the store does not hold (a blob already present need not be read again).
        var layer = Path.Combine(berth.Root, "random-layer.tar");
        using (var output = File.Create(layer))
        using (var writer = new TarWriter(output, TarEntryFormat.Pax))
        {
            var data = new byte[1 << 20];
            Random.Shared.NextBytes(data);
            writer.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, "random.bin") { DataStream = new MemoryStream(data) });
        }
        berth.Ok("import", layer, "corrupt-src:latest");
        var saved = Path.Combine(berth.Root, "corrupt-src.tar");
        berth.Ok("save", "-o", saved, "corrupt-src:latest");
        berth.Ok("rmi", "corrupt-src:latest");
        var before = Images();
        var bytes = File.ReadAllBytes(saved);
        // Flip bytes in the middle (the random layer's data): its digest no longer matches.
        for (var i = bytes.Length / 2; i < bytes.Length / 2 + 64; i++)
            bytes[i] ^= 0xff;
        var corrupt = Path.Combine(berth.Root, "corrupt.tar");
        File.WriteAllBytes(corrupt, bytes);
        AssertLoadRefused(corrupt, before);
        var garbage = Path.Combine(berth.Root, "garbage.tar");
        File.WriteAllBytes(garbage, [.. Enumerable.Range(0, 10_000).Select(i => (byte)(i * 7))]);
        AssertLoadRefused(garbage, before);
        Assert.Empty(await StoreCheck.ImageProblemsAsync(berth.Root));
    }

    public static TheoryData<string> Escapes() => ["dotdot", "absolute", "symlink-absolute", "symlink-relative", "hardlink"];

    [BerthTheory]
    [MemberData(nameof(Escapes))]
    public async Task LayerEntriesNeverWriteOutsideTheRoot(string kind)
    {
        Directory.CreateDirectory(Canary);
        var outside = Path.Combine(Canary, kind);
        var layer = Path.Combine(berth.Root, $"escape-{kind}.tar");
        using (var output = File.Create(layer))
        using (var writer = new TarWriter(output, TarEntryFormat.Pax))
        {
            void File(string name, string text) =>
                writer.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, name) { DataStream = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(text)) });
            File("bin/ok", "fine\n");
            switch (kind)
            {
                case "dotdot":
                    File("../../../canary/dotdot", "escaped\n");
                    File(string.Concat(Enumerable.Repeat("../", 20)) + outside.TrimStart('/'), "escaped\n");
                    break;
                case "absolute":
                    File(outside, "escaped\n");
                    break;
                case "symlink-absolute":
                    writer.WriteEntry(new PaxTarEntry(TarEntryType.SymbolicLink, "link") { LinkName = Canary });
                    File("link/symlink-absolute", "escaped\n");
                    break;
                case "symlink-relative":
                    writer.WriteEntry(new PaxTarEntry(TarEntryType.SymbolicLink, "dir/link") { LinkName = "../../../../../../../../" + Canary.TrimStart('/') });
                    File("dir/link/symlink-relative", "escaped\n");
                    break;
                case "hardlink":
                    // A hard link to a host file, then writing through it.
                    System.IO.File.WriteAllText(outside, "original\n");
                    writer.WriteEntry(new PaxTarEntry(TarEntryType.HardLink, "hl") { LinkName = "../../../canary/hardlink" });
                    break;
            }
        }
        var name = $"escape-{kind}:latest";
        var import = berth.Run("import", layer, name);
        if (import.ExitCode == 0)
        {
            // Accepted as a blob: the escape must fail (or stay inside) when the layer is applied.
            var run = berth.Run("run", "--rm", name, "/bin/ok");
            Assert.DoesNotContain("Unhandled", run.Stderr);
        }
        else
        {
            Assert.Equal(1, import.ExitCode);
            Assert.StartsWith("Error: ", import.Stderr);
        }
        if (kind == "hardlink")
            Assert.Equal("original\n", System.IO.File.ReadAllText(outside));
        else
            Assert.False(System.IO.File.Exists(outside) || System.IO.File.Exists(Path.Combine(Canary, "dotdot")),
                $"{kind}: a layer entry was written outside the root (import: {import})");
        Assert.Empty(await StoreCheck.ImageProblemsAsync(berth.Root));
    }
}
