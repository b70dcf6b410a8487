using System.Diagnostics;
using Berth.Images.Layers;
using Berth.Images.Tests.Layers;

namespace Berth.Images.Tests;

/// <summary>The kernel as the peer: overlay-format layers mount as lower dirs, and a real upper dir diffs back to OCI.</summary>
public sealed class LayerOverlayTests
{
    [Fact]
    public async Task OverlayFormatLayersMergeAsTheOciApplyWould()
    {
        using var work = new LayerRoot();
        var l1 = Path.Combine(work.Target, "l1");
        var l2 = Path.Combine(work.Target, "l2");
        var merged = Path.Combine(work.Target, "merged");
        var oci = Path.Combine(work.Target, "oci");
        foreach (var d in new[] { l1, l2, merged, oci })
        {
            Directory.CreateDirectory(d);
        }

        var layer1 = new LayerTar().Dir("a/").File("a/gone", "g").File("a/keep", "k").Dir("o/").File("o/old", "o").Bytes();
        var layer2 = new LayerTar().File("a/.wh.gone", "").Dir("o/").File("o/.wh..wh..opq", "").File("o/new", "n").Bytes();
        var overlay = new LayerOptions { Whiteouts = WhiteoutFormat.Overlay };
        await LayerApplier.ApplyAsync(new MemoryStream(layer1), l1, overlay);
        await LayerApplier.ApplyAsync(new MemoryStream(layer2), l2, overlay);
        await LayerApplier.ApplyAsync(new MemoryStream(layer1), oci);
        await LayerApplier.ApplyAsync(new MemoryStream(layer2), oci);

        Run("mount", "-t", "overlay", "overlay", "-o", $"lowerdir={l2}:{l1}", merged);
        try
        {
            Assert.Equal(Tree(oci), Tree(merged));
            Assert.Contains("a/keep", Tree(merged));
            Assert.DoesNotContain("a/gone", Tree(merged));
            Assert.DoesNotContain("o/old", Tree(merged));
        }
        finally
        {
            Run("umount", merged);
        }
    }

    [Fact]
    public async Task RealUpperDirDiffsToAnOciLayer()
    {
        using var work = new LayerRoot();
        string Dir(string name)
        {
            var d = Path.Combine(work.Target, name);
            Directory.CreateDirectory(d);
            return d;
        }

        var (lower, upper, wd, merged, replay) = (Dir("lower"), Dir("upper"), Dir("work"), Dir("merged"), Dir("replay"));
        var layer = new LayerTar().Dir("etc/").File("etc/gone", "g").File("etc/keep", "k").Dir("var/").File("var/old", "o").Bytes();
        await LayerApplier.ApplyAsync(new MemoryStream(layer), lower);
        await LayerApplier.ApplyAsync(new MemoryStream(layer), replay);

        Run("mount", "-t", "overlay", "overlay", "-o", $"lowerdir={lower},upperdir={upper},workdir={wd}", merged);
        try
        {
            File.Delete(Path.Combine(merged, "etc/gone"));
            File.WriteAllText(Path.Combine(merged, "etc/added"), "a");
            Directory.Delete(Path.Combine(merged, "var"), recursive: true);
            Directory.CreateDirectory(Path.Combine(merged, "var"));
            File.WriteAllText(Path.Combine(merged, "var/fresh"), "f");
        }
        finally
        {
            Run("umount", merged);
        }

        var tar = new MemoryStream();
        await LayerDiffer.WriteAsync(upper, [lower], tar);
        var names = LayerDiffer.Plan(upper, [lower]).Select(c => c.Name).ToList();
        await LayerApplier.ApplyAsync(new MemoryStream(tar.ToArray()), replay);

        Assert.Contains("etc/.wh.gone", names);
        Assert.Contains("var/.wh..wh..opq", names);
        Assert.Equal(["etc", "etc/added", "etc/keep", "var", "var/fresh"], Tree(replay));
    }

    private static List<string> Tree(string root) =>
        Directory.EnumerateFileSystemEntries(root, "*", SearchOption.AllDirectories)
            .Select(p => Path.GetRelativePath(root, p)).Order(StringComparer.Ordinal).ToList();

    private static void Run(string file, params string[] args)
    {
        var psi = new ProcessStartInfo(file, args) { RedirectStandardError = true };
        using var p = Process.Start(psi)!;
        var error = p.StandardError.ReadToEnd();
        p.WaitForExit();
        Assert.True(p.ExitCode == 0, $"{file} {string.Join(' ', args)}: {error}");
    }
}
