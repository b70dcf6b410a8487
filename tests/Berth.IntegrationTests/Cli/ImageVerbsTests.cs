namespace Berth.IntegrationTests.Cli;

/// <summary>Image verbs and file verbs through the real berth binary: save/load, commit, rmi, cp, diff, export, prune.</summary>
public sealed class ImageVerbsTests(BerthFixture berth) : IClassFixture<BerthFixture>
{
    private const string Img = BerthFixture.Image;

    private static string Unique(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 9)];

    [BerthFact]
    public void SaveThenLoadKeepsTheImageId()
    {
        var id = berth.Ok("image", "inspect", "-f", "{{.Id}}", Img).Trim();
        var tag = Unique("saved") + ":1";
        berth.Ok("tag", Img, tag);
        var archive = Path.Combine(Path.GetTempPath(), Unique("save") + ".tar");
        try
        {
            berth.Ok("save", "-o", archive, tag);
            berth.Ok("rmi", tag);
            Assert.Contains("Loaded image: " + tag, berth.Ok("load", "-i", archive));
            Assert.Equal(id, berth.Ok("image", "inspect", "-f", "{{.Id}}", tag).Trim());
        }
        finally
        {
            File.Delete(archive);
            berth.Run("rmi", tag);
        }
    }

    [BerthFact]
    public void CommitThenRunTheCommittedImage()
    {
        var name = Unique("commit");
        var tag = Unique("committed") + ":1";
        try
        {
            berth.Ok("run", "--name", name, Img, "sh", "-c", "echo committed > /made");
            Assert.Contains("A /made", berth.Ok("diff", name));
            Assert.StartsWith("sha256:", berth.Ok("commit", "-c", "CMD [\"cat\",\"/made\"]", name, tag));
            Assert.Equal("committed", berth.Ok("run", "--rm", tag).Trim());
            var refused = berth.Run("rmi", tag);
            Assert.True(refused.ExitCode == 0, refused.ToString()); // no container uses the committed image
            var inUse = berth.Run("rmi", Img);
            Assert.NotEqual(0, inUse.ExitCode);
            Assert.Contains("must force", inUse.Stderr);
        }
        finally
        {
            berth.Run("rm", "-f", name);
            berth.Run("rmi", tag);
        }
    }

    [BerthFact]
    public void CopyBothWaysAndExport()
    {
        var name = Unique("cp");
        var host = Path.Combine(Path.GetTempPath(), Unique("cphost"));
        Directory.CreateDirectory(host);
        try
        {
            File.WriteAllText(Path.Combine(host, "in.txt"), "from host");
            berth.Ok("create", "--name", name, Img, "true");
            berth.Ok("cp", Path.Combine(host, "in.txt"), name + ":/in.txt");
            berth.Ok("cp", name + ":/in.txt", Path.Combine(host, "out.txt"));
            Assert.Equal("from host", File.ReadAllText(Path.Combine(host, "out.txt")));
            Assert.Contains("A /in.txt", berth.Ok("diff", name));
            berth.Ok("export", "-o", Path.Combine(host, "fs.tar"), name);
            Assert.True(new FileInfo(Path.Combine(host, "fs.tar")).Length > 1024 * 1024);
        }
        finally
        {
            berth.Run("rm", "-f", name);
            Directory.Delete(host, recursive: true);
        }
    }
}
