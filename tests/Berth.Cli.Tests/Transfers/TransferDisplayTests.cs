using Berth.Cli.Transfers;

namespace Berth.Cli.Tests.Transfers;

public sealed class TransferDisplayTests
{
    [Fact]
    public void TheBarIsDockers()
    {
        Assert.Equal("[>" + new string(' ', 50) + "]       0B/3.4MB", TransferDisplay.Bar(0, 3_400_000));
        Assert.Equal("[" + new string('=', 17) + ">" + new string(' ', 33) + "]   1.19MB/3.4MB", TransferDisplay.Bar(1_190_000, 3_400_000));
        Assert.Equal("[" + new string('=', 50) + ">]    3.4MB/3.4MB", TransferDisplay.Bar(3_400_000, 3_400_000));
        Assert.Equal("12kB", TransferDisplay.Bar(12_000, 0));
    }

    [Fact]
    public void PlainIsOneLinePerStateWithoutByteCounts()
    {
        var output = new StringWriter();
        var plain = new PlainTransferProgress(output);
        plain.Status("latest: Pulling from library/busybox");
        plain.Layer("abc123def456", "Pulling fs layer");
        plain.Layer("abc123def456", "Downloading", 10, 100);
        plain.Layer("abc123def456", "Download complete");
        Assert.Equal("latest: Pulling from library/busybox\nabc123def456: Pulling fs layer\nabc123def456: Download complete\n", output.ToString().Replace("\r\n", "\n"));
    }

    [Fact]
    public void TtyRedrawsALayersLineInPlace()
    {
        var output = new StringWriter();
        var tty = new TtyTransferProgress(output);
        tty.Layer("aaaaaaaaaaaa", "Pulling fs layer");
        tty.Layer("bbbbbbbbbbbb", "Pulling fs layer");
        tty.Layer("aaaaaaaaaaaa", "Downloading", 50, 100);
        var text = output.ToString();
        // The first layer is two lines up: up 2, clear, rewrite, down 2.
        Assert.EndsWith("\x1b[2A\r\x1b[2Kaaaaaaaaaaaa: Downloading " + TransferDisplay.Bar(50, 100) + "\x1b[2B\r", text);
        tty.Status("Digest: sha256:x");
        tty.Layer("aaaaaaaaaaaa", "Pull complete");
        // After a whole-transfer line the layer starts a new line rather than moving above it.
        Assert.EndsWith("Digest: sha256:x\n\x1b[2Kaaaaaaaaaaaa: Pull complete\n", output.ToString());
    }
}
