using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using Berth.Errdefs;

namespace Berth.Build.Tests.Copy;

/// <summary>ADD of http URLs against a loopback server made by the test.</summary>
public sealed class AddUrlTests : CopyFixture
{
    private static readonly byte[] Body = "#!/bin/sh\necho downloaded\n"u8.ToArray();
    private static readonly DateTimeOffset Modified = new(2015, 6, 7, 8, 9, 10, TimeSpan.Zero);

    private readonly HttpListener _listener = new();
    private readonly string _prefix;
    private readonly Task _serving;
    private int _requests;

    public AddUrlTests()
    {
        var port = FreePort();
        _prefix = $"http://127.0.0.1:{port}/";
        _listener.Prefixes.Add(_prefix);
        _listener.Start();
        _serving = Task.Run(ServeAsync);
    }

    public override void Dispose()
    {
        _listener.Stop();
        _listener.Close();
        try
        {
            _serving.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
            // the listener was closed under the loop
        }
        base.Dispose();
    }

    private static int FreePort()
    {
        using var socket = new TcpListener(IPAddress.Loopback, 0);
        socket.Start();
        return ((IPEndPoint)socket.LocalEndpoint).Port;
    }

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }
            Interlocked.Increment(ref _requests);
            var path = context.Request.Url!.AbsolutePath;
            if (path.StartsWith("/files/", StringComparison.Ordinal))
            {
                context.Response.StatusCode = 200;
                context.Response.Headers.Add("Last-Modified", Modified.ToString("R"));
                await context.Response.OutputStream.WriteAsync(Body);
            }
            else
            {
                context.Response.StatusCode = 404;
            }
            context.Response.Close();
        }
    }

    private static string Sha256(byte[] data) => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(data));

    [Fact]
    public async Task ADownloadLandsByItsUrlNameAs0600WithTheServersTime()
    {
        await CopyAsync(Request("/usr/local/bin/", _prefix + "files/install.sh") with { IsAdd = true });
        var path = InRoot("/usr/local/bin/install.sh");
        Assert.Equal(Body, File.ReadAllBytes(path));
        var st = StatOf(path);
        Assert.Equal("600", Octal(st.Perm));
        Assert.Equal((0, 0), (st.Uid, st.Gid));
        Assert.Equal(Modified.ToUnixTimeSeconds(), st.Mtime);
    }

    [Fact]
    public async Task ADestinationWithoutSlashIsTheFileName()
    {
        await CopyAsync(Request("/opt/tool", _prefix + "files/install.sh?x=1") with { IsAdd = true, Chmod = "755" });
        Assert.Equal(Body, File.ReadAllBytes(InRoot("/opt/tool")));
        Assert.Equal("755", Octal(StatOf(InRoot("/opt/tool")).Perm));
    }

    [Fact]
    public async Task AMatchingChecksumPassesAndTheDigestIsTheContent()
    {
        var request = Request("/d/", _prefix + "files/a.sh") with { IsAdd = true, Checksum = Sha256(Body) };
        using var prepared = await Copier.PrepareAsync(request);
        using var again = await Copier.PrepareAsync(request with { Checksum = null });
        await Copier.ApplyAsync(prepared, Rootfs);
        Assert.Equal(Body, File.ReadAllBytes(InRoot("/d/a.sh")));
        Assert.NotEqual(prepared.InputDigest, again.InputDigest); // the checksum flag is an input too
    }

    [Fact]
    public async Task AChecksumMismatchNamesBothDigestsAndLeavesNothing()
    {
        var wrong = Sha256("something else"u8.ToArray());
        var e = await Assert.ThrowsAsync<BerthException>(() => Copier.PrepareAsync(Request("/d/", _prefix + "files/a.sh") with { IsAdd = true, Checksum = wrong }));
        Assert.Contains("digest mismatch", e.Message);
        Assert.Contains(wrong, e.Message);
        Assert.Contains(Sha256(Body), e.Message);
        Assert.Contains(_prefix + "files/a.sh", e.Message);
        Assert.Empty(Directory.EnumerateFileSystemEntries(Temp));
    }

    [Fact]
    public async Task A404IsAnErrorNamingTheUrlAndStatus()
    {
        var url = _prefix + "missing/file.txt";
        var e = await Assert.ThrowsAsync<BerthException>(() => Copier.PrepareAsync(Request("/d/", url) with { IsAdd = true }));
        Assert.Contains(url, e.Message);
        Assert.Contains("404", e.Message);
        Assert.Empty(Directory.EnumerateFileSystemEntries(Temp));
    }

    [Fact]
    public async Task AFailedPrepareRemovesEarlierDownloads()
    {
        var e = await Assert.ThrowsAsync<BerthException>(() => Copier.PrepareAsync(
            Request("/d/", _prefix + "files/one", _prefix + "files/two", "missing-local") with { IsAdd = true }));
        Assert.Contains("missing-local", e.Message);
        Assert.Equal(2, _requests);
        Assert.Empty(Directory.EnumerateFileSystemEntries(Temp));
    }

    [Fact]
    public async Task DisposingThePreparedCopyRemovesTheDownload()
    {
        var prepared = await Copier.PrepareAsync(Request("/d/", _prefix + "files/x") with { IsAdd = true });
        Assert.Single(Directory.EnumerateFileSystemEntries(Temp));
        prepared.Dispose();
        Assert.Empty(Directory.EnumerateFileSystemEntries(Temp));
    }

    [Fact]
    public async Task ADownloadedArchiveIsNotExtracted()
    {
        await CopyAsync(Request("/d/", _prefix + "files/x.tar.gz") with { IsAdd = true });
        Assert.Equal(Body, File.ReadAllBytes(InRoot("/d/x.tar.gz")));
    }

    [Theory]
    [InlineData("https://github.com/moby/buildkit.git", "git sources are not supported")]
    [InlineData("git@github.com:moby/buildkit.git", "git sources are not supported")]
    public async Task GitSourcesAreRefused(string source, string message)
    {
        var e = await Assert.ThrowsAsync<BerthException>(() => Copier.PrepareAsync(Request("/d/", source) with { IsAdd = true }));
        Assert.Equal(ErrorKind.NotImplemented, e.Kind);
        Assert.Contains(message, e.Message);
        Assert.Contains(source, e.Message);
    }

    [Fact]
    public async Task CopyRefusesUrlsAndChecksums()
    {
        var e = await Assert.ThrowsAsync<BerthException>(() => Copier.PrepareAsync(Request("/d/", _prefix + "files/x")));
        Assert.Contains("source can't be a URL for COPY", e.Message);
        Ctx("local", "l");
        e = await Assert.ThrowsAsync<BerthException>(() => Copier.PrepareAsync(Request("/d/", "local") with { IsAdd = true, Checksum = Sha256(Body) }));
        Assert.Contains("checksum requires HTTP(S) sources", e.Message);
        Assert.Equal(0, _requests);
    }
}
