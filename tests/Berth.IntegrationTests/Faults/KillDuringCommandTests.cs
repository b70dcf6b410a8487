using System.Diagnostics;
using System.Formats.Tar;
using Berth.IntegrationTests.Cli;

namespace Berth.IntegrationTests.Faults;

/// <summary>
/// SIGKILL a berth command at random points of load, import, commit and run -d: the store stays
/// consistent after every kill (each name points at a manifest whose blobs exist and verify, no
/// blob has the wrong digest), and a later command clears the leftovers (ingests, layers/tmp-*,
/// containers/.tmp-*).
/// </summary>
public sealed class KillDuringCommandTests(BerthFixture berth) : IClassFixture<BerthFixture>
{
    private const int Rounds = 20;

    private readonly Random _random = new();

    /// <summary>Starts berth ARGS, SIGKILLs it (by PID) after <paramref name="ms"/> ms unless it ended; true when it was killed.</summary>
    private bool KillAfter(int ms, params string[] args)
    {
        using var process = berth.Start(args);
        _ = process.StandardOutput.ReadToEndAsync();
        _ = process.StandardError.ReadToEndAsync();
        if (process.WaitForExit(ms))
            return false;
        try
        {
            process.Kill(entireProcessTree: false);
        }
        catch (InvalidOperationException)
        {
            return false;
        }
        Assert.True(process.WaitForExit(10_000), $"berth {string.Join(' ', args)} did not die");
        return true;
    }

    private async Task AssertConsistentAsync(string after)
    {
        var problems = await StoreCheck.ImageProblemsAsync(berth.Root);
        Assert.True(problems.Count == 0, $"after {after}:\n{string.Join('\n', problems)}");
        var images = berth.Run("images");
        Assert.True(images.ExitCode == 0, $"images after {after}: {images}");
    }

    /// <summary>A layer tar holding one ~30 MB file of random bytes, and busybox beside it so it runs.</summary>
    private string BigLayer()
    {
        var path = Path.Combine(berth.Root, "big-layer.tar");
        if (File.Exists(path))
            return path;
        using var output = File.Create(path);
        using var writer = new TarWriter(output, TarEntryFormat.Pax);
        var data = new byte[30 << 20];
        Random.Shared.NextBytes(data);
        var entry = new PaxTarEntry(TarEntryType.RegularFile, "random.bin") { DataStream = new MemoryStream(data), Mode = UnixFileMode.UserRead | UnixFileMode.UserWrite };
        writer.WriteEntry(entry);
        return path;
    }

    /// <summary>Image-store leftovers (the run -d test owns containers/).</summary>
    private bool ImageLeftover(string path) => !path.StartsWith(Path.Combine(berth.Root, "containers"), StringComparison.Ordinal);

    private bool HasVerb(params string[] verb) => berth.Run([.. verb, "--help"]).ExitCode == 0;

    [BerthFact]
    public async Task KillDuringLoad()
    {
        Assert.True(HasVerb("load") && HasVerb("save") && HasVerb("import"), "load/save/import not in berth");
        berth.Ok("import", BigLayer(), "big:latest");
        var archive = Path.Combine(berth.Root, "big-save.tar");
        berth.Ok("save", "-o", archive, "big:latest");
        Assert.True(new FileInfo(archive).Length > 30 << 20);
        berth.Ok("rmi", "big:latest");
        var killed = 0;
        for (var i = 0; i < Rounds; i++)
        {
            if (KillAfter(_random.Next(5, 61), "load", "-i", archive))
                killed++;
            await AssertConsistentAsync($"kill of load #{i}");
        }
        Assert.True(killed > Rounds / 2, $"only {killed} of {Rounds} loads were killed before they finished");
        var before = DateTime.UtcNow.AddSeconds(-1);
        berth.Ok("load", "-i", archive);
        Assert.Contains("big:latest", berth.Ok("images", "--format", "{{.Repository}}:{{.Tag}}"));
        await AssertConsistentAsync("a complete load");
        berth.Ok("system", "prune", "-f");
        Assert.DoesNotContain(StoreCheck.Leftovers(berth.Root, before), ImageLeftover);
        await AssertConsistentAsync("system prune");
    }

    [BerthFact]
    public async Task KillDuringImport()
    {
        Assert.True(HasVerb("import"), "import not in berth");
        var layer = BigLayer();
        for (var i = 0; i < Rounds; i++)
        {
            KillAfter(_random.Next(5, 61), "import", layer, $"imp:{i}");
            await AssertConsistentAsync($"kill of import #{i}");
        }
        var before = DateTime.UtcNow.AddSeconds(-1);
        berth.Ok("import", layer, "imp:done");
        berth.Ok("system", "prune", "-f");
        Assert.DoesNotContain(StoreCheck.Leftovers(berth.Root, before), ImageLeftover);
        await AssertConsistentAsync("system prune");
    }

    [BerthFact]
    public async Task KillDuringCommit()
    {
        Assert.True(HasVerb("commit"), "commit not in berth");
        var name = $"cm-{Guid.NewGuid():N}"[..11];
        berth.Ok("run", "--name", name, BerthFixture.Image, "sh", "-c", "head -c 20000000 /dev/urandom > /big; mkdir -p /a/b; echo x > /a/b/c");
        for (var i = 0; i < Rounds; i++)
        {
            KillAfter(_random.Next(5, 61), "commit", name, $"committed:{i}");
            await AssertConsistentAsync($"kill of commit #{i}");
        }
        var before = DateTime.UtcNow.AddSeconds(-1);
        berth.Ok("commit", name, "committed:done");
        Assert.Equal("x\n", berth.Ok("run", "--rm", "committed:done", "cat", "/a/b/c"));
        berth.Ok("rm", name);
        berth.Ok("system", "prune", "-f");
        Assert.DoesNotContain(StoreCheck.Leftovers(berth.Root, before), ImageLeftover);
        await AssertConsistentAsync("system prune");
    }

    [BerthFact]
    public async Task KillDuringRunDetached()
    {
        for (var i = 0; i < Rounds; i++)
        {
            KillAfter(_random.Next(5, 61), "run", "-d", "--name", $"kd{i}", BerthFixture.Image, "sleep", "1000");
            var ps = berth.Run("ps", "-a", "--format", "{{.Names}} {{.State}}");
            Assert.True(ps.ExitCode == 0, $"ps after kill #{i}: {ps}");
        }
        // Whatever each killed run left is a container that rm -f removes, or nothing at all.
        var listed = berth.Ok("ps", "-a", "-q").Split('\n', StringSplitOptions.RemoveEmptyEntries);
        if (listed.Length > 0)
            berth.Ok(["rm", "-f", .. listed]);
        var before = DateTime.UtcNow.AddSeconds(-1);
        // A later command clears half-made containers; the names are free again.
        for (var i = 0; i < Rounds; i++)
        {
            var rerun = berth.Run("run", "--rm", "--name", $"kd{i}", BerthFixture.Image, "true");
            Assert.True(rerun.ExitCode == 0, $"rerun kd{i}: {rerun}");
        }
        if (HasVerb("system", "prune"))
            berth.Ok("system", "prune", "-f");
        Assert.Empty(StoreCheck.Leftovers(berth.Root, before));
        Assert.Equal("", berth.Ok("ps", "-a", "-q"));
        Assert.Empty(berth.ContainerDirs());
        Assert.Empty(BerthFixture.MountsUnder(Path.Combine(berth.Root, "containers")));
        await AssertConsistentAsync("run -d kills");
    }
}
