using System.Net;

namespace Berth.IntegrationTests.Build;

/// <summary>
/// A static file server on 127.0.0.1 for ADD of a URL (no traffic leaves the machine):
/// GET /NAME returns DIR/NAME, anything else 404. Stopped on dispose.
/// </summary>
internal sealed class LoopbackServer : IDisposable
{
    private readonly HttpListener listener = new();
    private readonly string directory;
    private readonly Task loop;

    public LoopbackServer(string directory)
    {
        this.directory = directory;
        // A free port from the kernel, then the listener on it.
        var probe = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        Url = $"http://127.0.0.1:{port}";
        listener.Prefixes.Add(Url + "/");
        listener.Start();
        loop = Task.Run(ServeAsync);
    }

    public string Url { get; }

    private async Task ServeAsync()
    {
        while (listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException)
            {
                return; // stopped
            }
            using var response = context.Response;
            var name = Path.GetFileName(context.Request.Url?.AbsolutePath ?? "");
            var file = Path.Combine(directory, name);
            if (name.Length == 0 || !File.Exists(file))
            {
                response.StatusCode = 404;
                continue;
            }
            var bytes = await File.ReadAllBytesAsync(file);
            response.ContentLength64 = bytes.Length;
            await response.OutputStream.WriteAsync(bytes);
        }
    }

    public void Dispose()
    {
        listener.Stop();
        listener.Close();
        loop.Wait(TimeSpan.FromSeconds(5));
    }
}
