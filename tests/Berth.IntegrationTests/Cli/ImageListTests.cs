using System.Formats.Tar;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Berth.IntegrationTests.Cli;

/// <summary>
/// Listing and describing images through the real berth binary: tag, images (--digests, -q,
/// --format, --filter reference), history, image inspect, system df, import.
/// </summary>
public sealed partial class ImageListTests(BerthFixture berth) : IClassFixture<BerthFixture>
{
    private const string Img = BerthFixture.Image;

    internal static string Unique(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 9)];

    /// <summary>Non-empty lines of <paramref name="text"/>.</summary>
    internal static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>The columns of a table row (separated by runs of 2+ spaces).</summary>
    internal static string[] Columns(string row) => ColumnGap().Split(row.Trim());

    [GeneratedRegex(" {2,}")]
    private static partial Regex ColumnGap();

    /// <summary>The IMAGE ID of REPO:TAG in `images`, or null when not listed.</summary>
    internal static string? ListedId(BerthFixture berth, string repository, string tag)
    {
        foreach (var line in Lines(berth.Ok("images", "--format", "{{.Repository}} {{.Tag}} {{.ID}}")))
        {
            var fields = line.Split(' ');
            if (fields.Length == 3 && fields[0] == repository && fields[1] == tag)
                return fields[2];
        }
        return null;
    }

    [BerthFact]
    public void TagAddsANameWithTheSameImageId()
    {
        var repo = Unique("tagged");
        try
        {
            var before = berth.Ok("images");
            Assert.DoesNotContain(repo, before);
            Assert.Equal("", berth.Ok("tag", Img, repo + ":v1"));
            var table = Lines(berth.Ok("images"));
            Assert.Equal(["REPOSITORY", "TAG", "IMAGE ID", "CREATED", "SIZE"], Columns(table[0]));
            var row = table.Select(Columns).Single(c => c[0] == repo);
            var source = table.Select(Columns).Single(c => c[0] == Img && c[1] == "latest");
            Assert.Equal("v1", row[1]);
            Assert.Matches("^[0-9a-f]{12}$", row[2]);
            Assert.Equal(source[2], row[2]);
        }
        finally
        {
            berth.Run("rmi", repo + ":v1");
        }
    }

    [BerthFact]
    public void TagRefusesAnInvalidReference()
    {
        var before = berth.Ok("images", "-a", "--format", "{{.Repository}}:{{.Tag}}");
        var refused = berth.Run("tag", Img, "Bad:Tag!");
        Assert.True(refused.ExitCode == 1, refused.ToString());
        Assert.Contains("invalid reference format", refused.Stderr);
        Assert.Equal(before, berth.Ok("images", "-a", "--format", "{{.Repository}}:{{.Tag}}"));
    }

    [BerthFact]
    public void DigestsAddsADigestColumn()
    {
        var table = Lines(berth.Ok("images", "--digests"));
        Assert.Equal(["REPOSITORY", "TAG", "DIGEST", "IMAGE ID", "CREATED", "SIZE"], Columns(table[0]));
        var row = table.Skip(1).Select(Columns).Single(c => c[0] == Img && c[1] == "latest");
        Assert.Matches("^sha256:[0-9a-f]{64}$", row[2]);
        Assert.Matches("^[0-9a-f]{12}$", row[3]);
        Assert.DoesNotContain("DIGEST", Lines(berth.Ok("images"))[0]);
    }

    [BerthFact]
    public void QuietPrintsUniqueShortIds()
    {
        var second = Unique("quiet") + ":1";
        try
        {
            berth.Ok("tag", Img, second); // two names, one image: one id
            var ids = Lines(berth.Ok("images", "-q"));
            Assert.NotEmpty(ids);
            Assert.All(ids, id => Assert.Matches("^[0-9a-f]{12}$", id));
            Assert.Equal(ids.Length, ids.Distinct().Count());
            Assert.Contains(ListedId(berth, Img, "latest"), ids);
        }
        finally
        {
            berth.Run("rmi", second);
        }
    }

    [BerthFact]
    public void FormatTemplateAndJson()
    {
        var names = Lines(berth.Ok("images", "--format", "{{.Repository}}:{{.Tag}}"));
        Assert.Contains("busybox:latest", names);
        Assert.DoesNotContain(names, n => n.Contains("REPOSITORY"));

        var lines = Lines(berth.Ok("images", "--format", "json"));
        Assert.Equal(names.Length, lines.Length);
        var found = false;
        foreach (var line in lines)
        {
            using var doc = JsonDocument.Parse(line);
            var root = doc.RootElement;
            Assert.Equal(JsonValueKind.Object, root.ValueKind);
            var repository = root.GetProperty("Repository").GetString();
            var tag = root.GetProperty("Tag").GetString();
            var id = root.GetProperty("ID").GetString();
            Assert.Matches("^[0-9a-f]{12}$", id);
            if (repository == Img && tag == "latest")
            {
                found = true;
                Assert.Equal(ListedId(berth, Img, "latest"), id);
            }
        }
        Assert.True(found, "busybox:latest missing from --format json");
    }

    [BerthFact]
    public void FilterByReference()
    {
        var other = Unique("other") + ":1";
        try
        {
            berth.Ok("tag", Img, other);
            var table = Lines(berth.Ok("images", "--filter", "reference=busybox*"));
            Assert.Equal(["REPOSITORY", "TAG", "IMAGE ID", "CREATED", "SIZE"], Columns(table[0]));
            var rows = table.Skip(1).Select(Columns).ToList();
            Assert.NotEmpty(rows);
            Assert.All(rows, r => Assert.StartsWith("busybox", r[0]));
            Assert.Contains(rows, r => r[0] == Img && r[1] == "latest");
            // The other name of the same image is listed without the filter only.
            Assert.Contains(other.Split(':')[0], berth.Ok("images"));
        }
        finally
        {
            berth.Run("rmi", other);
        }
    }

    [BerthFact]
    public void HistoryHasAHeaderAndRows()
    {
        var lines = Lines(berth.Ok("history", Img));
        Assert.Equal(["IMAGE", "CREATED", "CREATED BY", "SIZE", "COMMENT"], Columns(lines[0]));
        Assert.True(lines.Length >= 2, string.Join('\n', lines));
        var first = Columns(lines[1]);
        Assert.Matches("^([0-9a-f]{12}|<missing>)$", first[0]);
        var missing = berth.Run("history", Unique("nosuch"));
        Assert.NotEqual(0, missing.ExitCode);
    }

    [BerthFact]
    public void InspectIdMatchesTheUntruncatedListing()
    {
        var id = berth.Ok("image", "inspect", "--format", "{{.Id}}", Img).Trim();
        Assert.Matches("^sha256:[0-9a-f]{64}$", id);
        var full = Lines(berth.Ok("images", "-q", "--no-trunc"));
        // docker prints untruncated ids with their algorithm: sha256:HEX.
        var hex = id["sha256:".Length..];
        Assert.Contains(full, f => f == id || "sha256:" + f == id);
        Assert.StartsWith(ListedId(berth, Img, "latest")!, hex);
    }

    [BerthFact]
    public void SystemDfCountsImages()
    {
        var lines = Lines(berth.Ok("system", "df"));
        Assert.Equal(["TYPE", "TOTAL", "ACTIVE", "SIZE", "RECLAIMABLE"], Columns(lines[0]));
        var images = lines.Skip(1).Select(Columns).Single(c => c[0] == "Images");
        Assert.True(int.Parse(images[1]) >= 1, lines[1]);
        Assert.True(int.Parse(images[2]) <= int.Parse(images[1]), string.Join('\n', lines));
        Assert.Contains(lines, l => l.StartsWith("Containers", StringComparison.Ordinal));
    }

    [BerthFact]
    public void ImportAnExportFromStdinWithAChange()
    {
        var name = Unique("exp");
        var tag = Unique("imported") + ":1";
        var archive = Path.Combine(Path.GetTempPath(), Unique("export") + ".tar");
        try
        {
            berth.Ok("run", "--name", name, Img, "true");
            berth.Ok("export", "-o", archive, name);
            ImportAndRun(archive, tag);
        }
        finally
        {
            File.Delete(archive);
            berth.Run("rm", "-f", name);
            berth.Run("rmi", tag);
        }
    }

    [BerthFact]
    public void ImportAHandMadeTarFromStdin()
    {
        var tag = Unique("handmade") + ":1";
        var archive = Path.Combine(Path.GetTempPath(), Unique("hand") + ".tar");
        try
        {
            using (var file = File.Create(archive))
            using (var writer = new TarWriter(file, TarEntryFormat.Pax))
            {
                const UnixFileMode dirMode = (UnixFileMode)0b111_101_101; // 0755
                writer.WriteEntry(new PaxTarEntry(TarEntryType.Directory, "bin/") { Mode = dirMode });
                writer.WriteEntryAsync("/bin/busybox", "bin/busybox").GetAwaiter().GetResult();
                writer.WriteEntry(new PaxTarEntry(TarEntryType.SymbolicLink, "bin/sh") { LinkName = "busybox", Mode = dirMode });
            }
            ImportAndRun(archive, tag);
        }
        finally
        {
            File.Delete(archive);
            berth.Run("rmi", tag);
        }
    }

    /// <summary>Imports the tar at ARCHIVE from stdin as TAG with a CMD, then runs it.</summary>
    private void ImportAndRun(string archive, string tag)
    {
        var imported = RunWithBytes(File.ReadAllBytes(archive), "import", "--change", "CMD [\"/bin/sh\",\"-c\",\"echo imported\"]", "-", tag);
        Assert.True(imported.ExitCode == 0, imported.ToString());
        Assert.Matches("^sha256:[0-9a-f]{64}$", imported.Stdout.Trim());
        Assert.Equal(imported.Stdout.Trim(), berth.Ok("image", "inspect", "--format", "{{.Id}}", tag).Trim());
        Assert.Equal("imported", berth.Ok("run", "--rm", tag).Trim());
    }

    /// <summary>Runs berth ARGS with INPUT (binary) on stdin; kills it by PID and fails after 60 s.</summary>
    private BerthCli.Result RunWithBytes(byte[] input, params string[] args)
    {
        using var process = BerthCli.Start(berth.Args(args), redirectStdin: true);
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        try
        {
            process.StandardInput.BaseStream.Write(input);
            process.StandardInput.BaseStream.Flush();
            process.StandardInput.Close();
        }
        catch (IOException)
        {
            // It exited without reading everything: its result says why.
        }
        if (!process.WaitForExit(BerthCli.DefaultTimeout))
        {
            var pid = process.Id;
            try
            {
                process.Kill(entireProcessTree: false);
            }
            catch (InvalidOperationException)
            {
                // Ended meanwhile.
            }
            process.WaitForExit();
            Assert.Fail($"{BerthCli.Show(berth.Args(args))} (pid {pid}) did not finish within 60s; killed.");
        }
        process.WaitForExit();
        return new BerthCli.Result(process.ExitCode, stdout.GetAwaiter().GetResult(), stderr.GetAwaiter().GetResult());
    }
}

/// <summary>
/// Dangling images and the prunes, in a root of their own (image prune -a would take busybox
/// from the other tests of a shared root).
/// </summary>
public sealed class PruneImageListTests(BerthFixture berth) : IClassFixture<BerthFixture>
{
    private const string Img = BerthFixture.Image;

    private static string Unique(string prefix) => ImageListTests.Unique(prefix);

    private static string[] Lines(string text) => ImageListTests.Lines(text);

    /// <summary>Commits a container of busybox that wrote CONTENT to /made as TAG; returns the image id.</summary>
    private string CommitNew(string tag, string content)
    {
        var name = Unique("maker");
        try
        {
            berth.Ok("run", "--name", name, Img, "sh", "-c", $"echo {content} > /made");
            var id = berth.Ok("commit", name, tag).Trim();
            Assert.Matches("^sha256:[0-9a-f]{64}$", id);
            return id;
        }
        finally
        {
            berth.Run("rm", "-f", name);
        }
    }

    private static string Short(string id) => id["sha256:".Length..][..12];

    [BerthFact]
    public void RetaggingLeavesADanglingImageThatPruneRemoves()
    {
        var tag = Unique("dangle") + ":1";
        try
        {
            var first = CommitNew(tag, "one");
            var second = CommitNew(tag, "two");
            Assert.NotEqual(first, second);

            var dangling = Lines(berth.Ok("images", "--filter", "dangling=true"));
            Assert.Contains(dangling.Skip(1), l => l.StartsWith("<none>", StringComparison.Ordinal) && l.Contains(Short(first)));
            Assert.DoesNotContain(dangling, l => l.Contains(Short(second)));
            Assert.DoesNotContain(dangling, l => l.StartsWith(Img + " ", StringComparison.Ordinal));
            Assert.Contains(Short(first), Lines(berth.Ok("images", "-q", "--filter", "dangling=true")));

            var before = Lines(berth.Ok("images", "-q")).Length;
            var pruned = berth.Ok("image", "prune", "-f");
            Assert.Contains(first, pruned);
            var after = Lines(berth.Ok("images", "-q"));
            Assert.Equal(before - 1, after.Length);
            Assert.DoesNotContain(Short(first), after);
            Assert.Contains(Short(second), after);
            Assert.Empty(Lines(berth.Ok("images", "-q", "--filter", "dangling=true")));
        }
        finally
        {
            berth.Run("rmi", tag);
        }
    }

    [BerthFact]
    public void PruneAllRemovesUnusedTaggedImagesOnly()
    {
        var tag = Unique("unused") + ":1";
        var user = Unique("user");
        try
        {
            var unused = CommitNew(tag, "unused");
            berth.Ok("create", "--name", user, Img, "true"); // busybox is in use
            var pruned = berth.Ok("image", "prune", "-a", "-f");
            Assert.Contains(unused, pruned);
            var names = Lines(berth.Ok("images", "--format", "{{.Repository}}:{{.Tag}}"));
            Assert.DoesNotContain(tag, names);
            Assert.Contains("busybox:latest", names);
            Assert.NotEqual(0, berth.Run("image", "inspect", tag).ExitCode);
        }
        finally
        {
            berth.Run("rm", "-f", user);
            berth.Run("rmi", tag);
        }
    }

    [BerthFact]
    public void ContainerPruneRemovesOnlyStoppedContainers()
    {
        var running = Unique("running");
        var stopped = Unique("stopped");
        try
        {
            berth.Ok("run", "-d", "--name", running, Img, "sleep", "100");
            berth.Ok("run", "--name", stopped, Img, "true");
            var stoppedId = berth.Ok("inspect", "--format", "{{.Id}}", stopped).Trim();
            var output = berth.Ok("container", "prune", "-f");
            Assert.Contains(stoppedId, output);
            var left = Lines(berth.Ok("ps", "-a", "--format", "{{.Names}}"));
            Assert.Contains(running, left);
            Assert.DoesNotContain(stopped, left);
            Assert.Equal("true", berth.Ok("inspect", "--format", "{{.State.Running}}", running).Trim());
        }
        finally
        {
            berth.Run("rm", "-f", running, stopped);
        }
    }
}
