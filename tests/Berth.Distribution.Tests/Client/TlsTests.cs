using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Berth.Distribution.Client;
using Berth.Distribution.Client.Auth;
using Berth.Distribution.Client.Hosts;
using Berth.Errdefs;

namespace Berth.Distribution.Tests.Client;

/// <summary>
/// TLS against a loopback server whose certificate a test CA signed: refused with the system's
/// roots, accepted with the CA given (certs.d's ca.crt), accepted unverified when insecure.
/// </summary>
public sealed class TlsTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("berth-tls-").FullName;
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly X509Certificate2 _leaf;
    private readonly Task _server;
    private readonly CancellationTokenSource _stop = new();

    public TlsTests()
    {
        using var caKey = RSA.Create(2048);
        var caRequest = new CertificateRequest("CN=berth test CA", caKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        using var ca = caRequest.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        CaFile = Path.Combine(_dir, "ca.crt");
        File.WriteAllText(CaFile, ca.ExportCertificatePem());

        using var leafKey = RSA.Create(2048);
        var leafRequest = new CertificateRequest("CN=127.0.0.1", leafKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var san = new SubjectAlternativeNameBuilder();
        san.AddIpAddress(IPAddress.Loopback);
        leafRequest.CertificateExtensions.Add(san.Build());
        leafRequest.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        using var signed = leafRequest.Create(ca, DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddHours(12), [1, 2, 3, 4]);
        _leaf = X509CertificateLoader.LoadPkcs12(signed.CopyWithPrivateKey(leafKey).Export(X509ContentType.Pkcs12), null);
        _listener.Start();
        _server = Task.Run(ServeAsync);
    }

    private string CaFile { get; }

    private string Host => $"127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}";

    private async Task ServeAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }
            _ = Task.Run(async () =>
            {
                using (client)
                {
                    try
                    {
                        await using var tls = new SslStream(client.GetStream());
                        await tls.AuthenticateAsServerAsync(_leaf);
                        var buffer = new byte[4096];
                        _ = await tls.ReadAsync(buffer);
                        await tls.WriteAsync(Encoding.ASCII.GetBytes("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nDocker-Distribution-API-Version: registry/2.0\r\nConnection: close\r\n\r\n{}"));
                    }
                    catch (Exception e) when (e is IOException or System.Security.Authentication.AuthenticationException)
                    {
                        // The client refused the certificate.
                    }
                }
            });
        }
    }

    private async Task PingAsync(RegistryEndpoint endpoint)
    {
        using var client = new RegistryClient(endpoint, null, new TokenCache());
        await client.PingAsync();
    }

    [Fact]
    public async Task AnUnknownCaIsRefused()
    {
        var e = await Assert.ThrowsAsync<BerthException>(() => PingAsync(new RegistryEndpoint(Host, Insecure: false, Mirror: false)));
        Assert.Equal(ErrorKind.Unavailable, e.Kind);
        Assert.Contains($"https://{Host}/v2/", e.Message);
    }

    [Fact]
    public async Task TheGivenCaIsTrusted() => await PingAsync(new RegistryEndpoint(Host, Insecure: false, Mirror: false, CaFile: CaFile));

    [Fact]
    public async Task AnInsecureRegistryIsNotVerified() => await PingAsync(new RegistryEndpoint(Host, Insecure: true, Mirror: false));

    [Fact]
    public void CertsDirIsLaidOutAsDockers()
    {
        var certs = Path.Combine(_dir, "certs.d");
        Directory.CreateDirectory(Path.Combine(certs, "reg.example:5000"));
        File.Copy(CaFile, Path.Combine(certs, "reg.example:5000", "ca.crt"));
        var hosts = new RegistryHosts(new RegistriesConfig { CertsDir = certs });
        Assert.Equal(Path.Combine(certs, "reg.example:5000", "ca.crt"), hosts.ForPush("reg.example:5000").CaFile);
        Assert.Null(hosts.ForPush("reg.example").CaFile);
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
        _server.Wait(TimeSpan.FromSeconds(5));
        _leaf.Dispose();
        Directory.Delete(_dir, recursive: true);
    }
}
