using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Berth.IntegrationTests.Interop;

namespace Berth.IntegrationTests.Registry;

/// <summary>
/// Debian's docker-registry (distribution 2.8) on 127.0.0.1 and a free port, storing in a temp
/// directory, from a generated config: anonymous, or htpasswd auth when users are given
/// (the file made by <c>htpasswd -Bbn</c>), or token auth against <paramref name="tokenRealm"/>.
/// Dispose kills it by PID and removes the directory.
/// </summary>
public sealed class RegistryServer : IDisposable
{
    private readonly Process _process;

    public RegistryServer(IReadOnlyDictionary<string, string>? users = null, Func<string, string>? tokenConfig = null, string? dir = null)
    {
        Dir = dir ?? Directory.CreateTempSubdirectory("berth-registry-").FullName;
        Port = FreePort();
        var auth = "";
        if (users is not null)
        {
            var lines = users.Select(u => Peer.RunAsync("/usr/bin/htpasswd", ["-Bbn", u.Key, u.Value]).GetAwaiter().GetResult().Trim());
            File.WriteAllText(Path.Combine(Dir, "htpasswd"), string.Join('\n', lines) + "\n");
            auth = $"auth:\n  htpasswd:\n    realm: berth-test\n    path: {Dir}/htpasswd\n";
        }
        else if (tokenConfig is not null)
        {
            auth = tokenConfig(Dir);
        }
        File.WriteAllText(Path.Combine(Dir, "config.yml"), $"""
            version: 0.1
            log:
              level: info
              accesslog:
                disabled: false
            storage:
              filesystem:
                rootdirectory: {Dir}/data
              delete:
                enabled: true
            http:
              addr: 127.0.0.1:{Port}
            {auth.Replace("\n", "\n")}
            """);
        var start = new ProcessStartInfo("/usr/bin/docker-registry") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add("serve");
        start.ArgumentList.Add(Path.Combine(Dir, "config.yml"));
        _process = Process.Start(start)!;
        _process.OutputDataReceived += (_, e) => Log(e.Data);
        _process.ErrorDataReceived += (_, e) => Log(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        WaitReady();
    }

    public string Dir { get; }

    public int Port { get; }

    /// <summary>host:port, as a reference's domain.</summary>
    public string Host => $"127.0.0.1:{Port}";

    private readonly List<string> _log = [];

    public string LogText()
    {
        lock (_log)
            return string.Join('\n', _log);
    }

    private void Log(string? line)
    {
        if (line is null)
            return;
        lock (_log)
            _log.Add(line);
    }

    private void WaitReady()
    {
        using var http = new HttpClient();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
                throw new InvalidOperationException($"docker-registry exited {_process.ExitCode}: {LogText()}");
            try
            {
                using var response = http.GetAsync($"http://{Host}/v2/").GetAwaiter().GetResult();
                if (response.StatusCode is HttpStatusCode.OK or HttpStatusCode.Unauthorized)
                    return;
            }
            catch (HttpRequestException)
            {
            }
            Thread.Sleep(50);
        }
        Dispose();
        throw new TimeoutException($"docker-registry did not answer on {Host}: {LogText()}");
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Kills a registry process this test started (by its PID) if it still runs, and disposes it.</summary>
    public static void Stop(Process process)
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill();
                process.WaitForExit(10_000);
            }
        }
        catch (InvalidOperationException)
        {
        }
        process.Dispose();
    }

    public void Dispose()
    {
        Stop(_process);
        try
        {
            Directory.Delete(Dir, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
