using System.Net;

namespace Berth.IntegrationTests.Registry;

/// <summary>
/// A loopback HTTP proxy in front of a registry, for what a real registry will not do on
/// request: count the blob bytes that cross it in each direction, slow them down (so a test can
/// kill berth mid-layer), and lie — change a byte of a blob or the digest header of a manifest.
/// It forwards the Host header, so the registry's upload Locations point back at the proxy.
/// </summary>
public sealed class RegistryProxy : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly HttpClient _upstream;
    private readonly string _target;
    private readonly Task _loop;
    private long _down;
    private long _up;

    public RegistryProxy(string upstreamHost)
    {
        _target = upstreamHost;
        _upstream = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, AutomaticDecompression = DecompressionMethods.None })
        {
            Timeout = TimeSpan.FromMinutes(5),
        };
        Port = RegistryServer.FreePort();
        _listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        _listener.Start();
        _loop = Task.Run(LoopAsync);
    }

    public int Port { get; }

    public string Host => $"127.0.0.1:{Port}";

    /// <summary>Blob bytes sent to clients (GET …/blobs/…).</summary>
    public long BlobBytesDown => Interlocked.Read(ref _down);

    /// <summary>Upload bytes received from clients (PATCH and PUT of …/blobs/uploads/…).</summary>
    public long UploadBytesUp => Interlocked.Read(ref _up);

    /// <summary>Delay after each 64 KiB of blob or upload bytes (0: full speed).</summary>
    public int DelayMs { get; set; }

    /// <summary>While set, upload bodies are read and then dropped, never forwarded (a line cut mid-chunk).</summary>
    public volatile bool DropUploads;

    /// <summary>Flips the byte at this offset of every blob body sent (null: honest).</summary>
    public long? CorruptBlobAt { get; set; }

    /// <summary>Replaces the Docker-Content-Digest of manifest answers (null: honest).</summary>
    public string? LieManifestDigest { get; set; }

    public void ResetCounts()
    {
        Interlocked.Exchange(ref _down, 0);
        Interlocked.Exchange(ref _up, 0);
    }

    private async Task LoopAsync()
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
            _ = Task.Run(async () =>
            {
                try
                {
                    await ForwardAsync(context);
                }
                catch (Exception e) when (e is HttpListenerException or IOException or HttpRequestException or ObjectDisposedException or InvalidOperationException)
                {
                    // The client went away (a test killed it): nothing to answer.
                    try
                    {
                        context.Response.Abort();
                    }
                    catch (ObjectDisposedException)
                    {
                    }
                }
            });
        }
    }

    private async Task ForwardAsync(HttpListenerContext context)
    {
        var incoming = context.Request;
        var path = incoming.Url!.PathAndQuery;
        var isUpload = path.Contains("/blobs/uploads/", StringComparison.Ordinal);
        var isBlob = !isUpload && path.Contains("/blobs/", StringComparison.Ordinal);
        using var request = new HttpRequestMessage(new HttpMethod(incoming.HttpMethod), $"http://{_target}{path}");
        if (incoming.HasEntityBody)
        {
            var body = new MemoryStream();
            var buffer = new byte[64 * 1024];
            int read;
            while ((read = await incoming.InputStream.ReadAsync(buffer)) > 0)
            {
                body.Write(buffer, 0, read);
                if (isUpload)
                {
                    Interlocked.Add(ref _up, read);
                    if (DelayMs > 0)
                        await Task.Delay(DelayMs);
                }
            }
            if ((incoming.ContentLength64 >= 0 && body.Length != incoming.ContentLength64) || (isUpload && DropUploads))
            {
                // The client died mid-body, or the test is cutting the line: like a connection that
                // drops, the registry never sees this chunk. (A chunk that does reach docker-registry
                // after its client died moves the upload past the state the client kept, and
                // distribution 2.8 then refuses that state: see docs/ARCHITECTURE.md.)
                context.Response.Abort();
                return;
            }
            request.Content = new ByteArrayContent(body.ToArray());
        }
        foreach (var name in incoming.Headers.AllKeys)
        {
            if (name is null || name.Equals("Host", StringComparison.OrdinalIgnoreCase) || name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase)
                || name.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase) || name.Equals("Connection", StringComparison.OrdinalIgnoreCase))
                continue;
            var value = incoming.Headers[name]!;
            if (!request.Headers.TryAddWithoutValidation(name, value))
                request.Content?.Headers.TryAddWithoutValidation(name, value);
        }
        request.Headers.Host = Host;
        using var response = await _upstream.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        var outgoing = context.Response;
        outgoing.StatusCode = (int)response.StatusCode;
        foreach (var (name, values) in response.Headers.Concat(response.Content.Headers))
        {
            if (name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase) || name.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase)
                || name.Equals("Connection", StringComparison.OrdinalIgnoreCase))
                continue;
            var value = string.Join(",", values);
            if (name.Equals("Docker-Content-Digest", StringComparison.OrdinalIgnoreCase) && path.Contains("/manifests/", StringComparison.Ordinal) && LieManifestDigest is not null)
                value = LieManifestDigest;
            if (name.Equals("Content-Type", StringComparison.OrdinalIgnoreCase))
                outgoing.ContentType = value;
            else
                outgoing.Headers[name] = value;
        }
        if (response.Content.Headers.ContentLength is { } length)
            outgoing.ContentLength64 = length;
        if (incoming.HttpMethod == "HEAD")
        {
            outgoing.Close();
            return;
        }
        await using var stream = await response.Content.ReadAsStreamAsync();
        var chunk = new byte[64 * 1024];
        long sent = 0;
        int n;
        while ((n = await stream.ReadAsync(chunk)) > 0)
        {
            if (isBlob && CorruptBlobAt is { } at && at >= sent && at < sent + n)
                chunk[at - sent] ^= 0xff;
            await outgoing.OutputStream.WriteAsync(chunk.AsMemory(0, n));
            sent += n;
            if (isBlob && incoming.HttpMethod == "GET")
            {
                Interlocked.Add(ref _down, n);
                if (DelayMs > 0)
                    await Task.Delay(DelayMs);
            }
        }
        outgoing.Close();
    }

    public void Dispose()
    {
        _listener.Stop();
        _listener.Close();
        _loop.Wait(TimeSpan.FromSeconds(5));
        _upstream.Dispose();
    }
}
