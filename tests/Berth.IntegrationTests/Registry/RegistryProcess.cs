using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Berth.IntegrationTests.Cli;

namespace Berth.IntegrationTests.Registry;

/// <summary>
/// A real <c>berth registry serve</c> (out/bin/berth, which execs out/bin/berth-registry) on a free
/// loopback port and a given root. <see cref="Kill"/> is kill -9, <see cref="TerminateAsync"/> is
/// SIGTERM, both by PID; Dispose kills it by PID if it is still running. The root is the caller's.
/// </summary>
public sealed class RegistryProcess : IDisposable
{
    private readonly Process _process;
    private readonly Task<string> _stderr;

    private RegistryProcess(Process process, int port, string root)
    {
        _process = process;
        _stderr = process.StandardError.ReadToEndAsync();
        _ = process.StandardOutput.ReadToEndAsync();
        Port = port;
        Root = root;
    }

    public int Port { get; }
    public string Root { get; }
    public string HostPort => $"127.0.0.1:{Port}";
    public Uri Url => new($"http://{HostPort}");
    public int Pid => _process.Id;

    public static string? SkipReason()
    {
        foreach (var binary in new[] { "berth", "berth-registry" })
        {
            if (!File.Exists(Path.Combine(BerthCli.BinDir, binary)))
                return $"{binary} not built in {BerthCli.BinDir} (scripts/build, or set BERTH_TEST_BIN_DIR)";
        }
        return null;
    }

    public static async Task<RegistryProcess> StartAsync(string root, params string[] extra)
    {
        var port = RegistryServer.FreePort();
        var start = new ProcessStartInfo(BerthCli.Berth) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { "registry", "serve", "--root", root, "--addr", $"127.0.0.1:{port}" }.Concat(extra))
            start.ArgumentList.Add(arg);
        var registry = new RegistryProcess(Process.Start(start)!, port, root);
        try
        {
            await registry.WaitReadyAsync();
        }
        catch
        {
            registry.Dispose();
            throw;
        }
        return registry;
    }

    private async Task WaitReadyAsync()
    {
        // Ready once the port accepts (plain TCP: the server may be speaking TLS).
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
                throw new InvalidOperationException($"berth registry serve exited {_process.ExitCode}: {await _stderr}");
            try
            {
                using var tcp = new TcpClient();
                await tcp.ConnectAsync(IPAddress.Loopback, Port);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(50);
            }
        }
        throw new TimeoutException($"berth registry serve did not answer on {HostPort}");
    }

    public void Kill()
    {
        if (!_process.HasExited)
            _process.Kill();
        _process.WaitForExit();
    }

    /// <summary>SIGTERM by PID; returns the exit code (fails the test after 40 s).</summary>
    public async Task<int> TerminateAsync()
    {
        using (var kill = Process.Start("/bin/kill", ["-TERM", Pid.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            await kill.WaitForExitAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(40));
        await _process.WaitForExitAsync(timeout.Token);
        return _process.ExitCode;
    }

    public Task<string> StderrAsync() => _stderr;

    public void Dispose() => RegistryServer.Stop(_process);
}

/// <summary>A fact that needs the built berth and berth-registry.</summary>
public sealed class RegistryServeFactAttribute : FactAttribute
{
    public RegistryServeFactAttribute(params string[] peers)
    {
        Skip = RegistryProcess.SkipReason();
        var missing = peers.Where(p => Interop.Peer.Find(p) is null).ToList();
        if (Skip is null && missing.Count > 0)
            Skip = $"not installed: {string.Join(", ", missing)}";
    }
}
