using System.Diagnostics;
using System.Globalization;
using Berth.IntegrationTests.Cli;

namespace Berth.IntegrationTests.Build;

/// <summary>
/// <c>berth build</c> is reproducible: the same Dockerfile and context give the same image id
/// and manifest digest in another root ("another machine") from a copy of the context with other
/// mtimes, and again with <c>--no-cache</c>. Every timestamp the build writes is the build epoch
/// (SOURCE_DATE_EPOCH from the environment or <c>--build-arg</c>, else 0): the config's created
/// and its history's, and layer mtimes clamped to it (min(mtime, epoch)). The class fixture is
/// machine A; each test makes machine B as a second fixture of its own.
/// </summary>
public sealed class ReproducibleBuildTests(BerthFixture machineA) : IClassFixture<BerthFixture>
{
    private const long Epoch = 1_700_000_000;

    private static readonly TimeSpan BuildTimeout = TimeSpan.FromSeconds(180);

    /// <summary>An image as <c>berth images --digests --no-trunc</c> shows it.</summary>
    private sealed record Identity(string Id, string Digest);

    private static string Unique(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 9)];

    [BerthFact]
    public void DefaultEpochGivesOneImageAcrossRootsMtimesAndNoCache()
    {
        using var context = ReproducibleContext.Create();
        using var copy = context.CopyTo(DateTimeOffset.FromUnixTimeSeconds(1_000_000_000));
        using var machineB = new BerthFixture();
        var tag = Unique("repro") + ":default";

        var first = Build(machineA, tag, context.Path, epoch: null);
        var second = Build(machineB, tag, copy.Path, epoch: null);
        var noCache = Build(machineA, tag, context.Path, epoch: null, "--no-cache");

        Assert.Equal(first, second);
        Assert.Equal(first, noCache);
        CheckTimes(machineA, tag, epoch: 0);
        CheckTimes(machineB, tag, epoch: 0);
    }

    [BerthFact]
    public void SourceDateEpochFromEnvironmentOrBuildArgGivesOneImage()
    {
        using var context = ReproducibleContext.Create();
        // Newer than the epoch, so clamped to it; old.txt stays older than it in both.
        using var copy = context.CopyTo(DateTimeOffset.FromUnixTimeSeconds(1_750_000_000));
        using var machineB = new BerthFixture();
        var plain = Unique("repro") + ":plain";
        var tag = Unique("repro") + ":sde";

        // Built first, so a cache that ignored the epoch would hand its layers to the builds below.
        var atZero = Build(machineA, plain, context.Path, epoch: null);
        var fromEnv = Build(machineA, tag, context.Path, epoch: Epoch);
        var fromArg = Build(machineB, tag, copy.Path, epoch: null, "--build-arg", $"SOURCE_DATE_EPOCH={Epoch}");
        var noCache = Build(machineA, tag, context.Path, epoch: Epoch, "--no-cache");

        Assert.NotEqual(atZero, fromEnv);
        Assert.Equal(fromEnv, fromArg);
        Assert.Equal(fromEnv, noCache);
        foreach (var machine in new[] { machineA, machineB })
        {
            var archive = CheckTimes(machine, tag, Epoch);
            var added = AddedEntries(machine, archive);
            // A COPY source newer than the epoch gets the epoch; one older keeps its own mtime.
            Assert.Equal(Epoch, Single(added, "payload.bin").Modified.ToUnixTimeSeconds());
            Assert.Equal(ReproducibleContext.OldMtime, Single(added, "etc/app/old.txt").Modified.ToUnixTimeSeconds());
        }
    }

    [BerthFact]
    public void OneChangedByteOfACopySourceChangesTheDigest()
    {
        using var context = ReproducibleContext.Create();
        var tag = Unique("repro") + ":byte";
        var before = Build(machineA, tag, context.Path, epoch: null);

        context.FlipPayloadByte(1000);
        var changed = Build(machineA, tag, context.Path, epoch: null);
        Assert.NotEqual(before.Digest, changed.Digest);
        Assert.NotEqual(before.Id, changed.Id);

        // Back to the original bytes (mtime untouched throughout): the original image again.
        context.FlipPayloadByte(1000);
        Assert.Equal(before, Build(machineA, tag, context.Path, epoch: null));
    }

    /// <summary>
    /// Saves TAG and checks every time the build wrote: the config's created and the history
    /// entries it added are the epoch; each entry of the layers it added has mtime (and any
    /// atime/ctime) at or before the epoch, and exactly 0 when the epoch is 0.
    /// </summary>
    private static ReproducibleArchive CheckTimes(BerthFixture machine, string tag, long epoch)
    {
        var expected = DateTimeOffset.FromUnixTimeSeconds(epoch);
        var archive = Save(machine, tag);
        var baseImage = Save(machine, BerthFixture.Image);
        Assert.Equal(expected, ParseTime(archive.Created));
        var history = archive.HistoryCreated;
        Assert.True(history.Count > baseImage.HistoryCreated.Count, $"{tag}: the build added no history ({history.Count} entries)");
        for (var i = baseImage.HistoryCreated.Count; i < history.Count; i++)
            Assert.True(ParseTime(history[i]) == expected, $"{tag}: history[{i}].created is {history[i]}, want the epoch {expected:O}");
        var added = AddedEntries(machine, archive, baseImage);
        Assert.NotEmpty(added);
        foreach (var entry in added)
        {
            Assert.True(epoch == 0 ? entry.Modified == expected : entry.Modified <= expected,
                $"{tag}: {entry.Name} has mtime {entry.Modified:O}, after the epoch {expected:O}");
            foreach (var (key, value) in entry.PaxTimes)
            {
                var seconds = decimal.Parse(value, NumberStyles.Float, CultureInfo.InvariantCulture);
                Assert.True(seconds <= epoch, $"{tag}: {entry.Name} has {key} {value}, after the epoch {epoch}");
            }
        }
        return archive;
    }

    /// <summary>The entries of the layers the build added above the base image's.</summary>
    private static List<ReproducibleArchive.Entry> AddedEntries(BerthFixture machine, ReproducibleArchive archive, ReproducibleArchive? baseImage = null)
    {
        baseImage ??= Save(machine, BerthFixture.Image);
        Assert.True(archive.Layers.Count >= baseImage.Layers.Count + 4,
            $"{archive.Layers.Count} layers for a build of 4 file-changing steps on a base of {baseImage.Layers.Count}");
        return archive.Layers.Skip(baseImage.Layers.Count).SelectMany(l => l).ToList();
    }

    private static ReproducibleArchive.Entry Single(List<ReproducibleArchive.Entry> entries, string name) =>
        Assert.Single(entries, e => e.Name.TrimStart('.', '/') == name);

    private static ReproducibleArchive Save(BerthFixture machine, string image)
    {
        var path = Path.Combine(Path.GetTempPath(), Unique("repro-save") + ".tar");
        try
        {
            machine.Ok("save", "-o", path, image);
            return ReproducibleArchive.Read(path);
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static DateTimeOffset ParseTime(string text) =>
        DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);

    /// <summary>
    /// <c>berth build -t TAG ARGS CONTEXT</c> with SOURCE_DATE_EPOCH set to <paramref name="epoch"/>
    /// in its environment, or removed from it when null (the test runner's own must not leak in);
    /// asserts success and returns the image's id and manifest digest.
    /// </summary>
    private static Identity Build(BerthFixture machine, string tag, string context, long? epoch, params string[] args)
    {
        string[] argv = [.. machine.Args(["build", "-t", tag, .. args, context])];
        var info = new ProcessStartInfo(BerthCli.Berth)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var arg in argv)
            info.ArgumentList.Add(arg);
        info.Environment.Remove("SOURCE_DATE_EPOCH");
        if (epoch is { } seconds)
            info.Environment["SOURCE_DATE_EPOCH"] = seconds.ToString(CultureInfo.InvariantCulture);
        using var process = Process.Start(info) ?? throw new InvalidOperationException("berth did not start");
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(BuildTimeout))
        {
            process.Kill(entireProcessTree: false);
            process.WaitForExit();
            Assert.Fail($"{BerthCli.Show(argv)} did not finish within {BuildTimeout.TotalSeconds:0}s; killed.");
        }
        process.WaitForExit();
        var result = new BerthCli.Result(process.ExitCode, stdout.GetAwaiter().GetResult(), stderr.GetAwaiter().GetResult());
        Assert.True(result.ExitCode == 0, $"SOURCE_DATE_EPOCH={epoch?.ToString(CultureInfo.InvariantCulture) ?? "(unset)"} {BerthCli.Show(argv)}: {result}");
        var line = machine.Ok("images", "--digests", "--no-trunc", "--format", "{{.ID}} {{.Digest}}", tag).Trim();
        var fields = line.Split(' ');
        Assert.True(fields.Length == 2 && fields[0].StartsWith("sha256:", StringComparison.Ordinal) && fields[1].StartsWith("sha256:", StringComparison.Ordinal),
            $"images --digests for {tag}: '{line}'");
        Assert.Equal(fields[0], machine.Ok("image", "inspect", "-f", "{{.Id}}", tag).Trim());
        return new Identity(fields[0], fields[1]);
    }
}
