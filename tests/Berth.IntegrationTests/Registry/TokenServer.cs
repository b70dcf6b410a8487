using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;

namespace Berth.IntegrationTests.Registry;

/// <summary>
/// A token server as docker's token authentication specification describes one, for
/// docker-registry's <c>auth: token</c>: GET /token?service=…&amp;scope=… with basic auth answers
/// a JWT (RS256, the signing certificate in <c>x5c</c>, which the registry checks against the
/// bundle written to <see cref="CertificateBundle"/>) granting what each scope asks.
/// Wrong credentials are 401. It counts what it was asked, so tests can see caching.
/// </summary>
public sealed class TokenServer : IDisposable
{
    public const string Service = "berth-registry";
    public const string Issuer = "berth-test-issuer";

    private readonly HttpListener _listener = new();
    private readonly RSA _key = RSA.Create(2048);
    private readonly X509Certificate2 _certificate;
    private readonly Dictionary<string, string> _users;
    private readonly List<string> _requests = [];
    private readonly Task _loop;

    public TokenServer(string dir, Dictionary<string, string> users, int lifetimeSeconds = 300)
    {
        _users = users;
        LifetimeSeconds = lifetimeSeconds;
        var request = new CertificateRequest("CN=berth test token signer", _key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyCertSign, true));
        _certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        CertificateBundle = Path.Combine(dir, "token-signer.pem");
        File.WriteAllText(CertificateBundle, _certificate.ExportCertificatePem() + "\n");
        Port = RegistryServer.FreePort();
        _listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        _listener.Start();
        _loop = Task.Run(LoopAsync);
    }

    public int Port { get; }

    public int LifetimeSeconds { get; }

    public string CertificateBundle { get; }

    public string Realm => $"http://127.0.0.1:{Port}/token";

    /// <summary>The registry's <c>auth:</c> section for this server.</summary>
    public string RegistryConfig => $"auth:\n  token:\n    realm: {Realm}\n    service: {Service}\n    issuer: {Issuer}\n    rootcertbundle: {CertificateBundle}\n";

    /// <summary>The query strings of the token requests so far.</summary>
    public IReadOnlyList<string> Requests
    {
        get
        {
            lock (_requests)
                return _requests.ToList();
        }
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
            try
            {
                Answer(context);
            }
            catch (Exception e) when (e is HttpListenerException or IOException)
            {
            }
        }
    }

    private void Answer(HttpListenerContext context)
    {
        var query = context.Request.Url!.Query;
        lock (_requests)
            _requests.Add(query);
        var account = "";
        var header = context.Request.Headers["Authorization"];
        if (header is not null)
        {
            var pair = Encoding.UTF8.GetString(Convert.FromBase64String(header["Basic ".Length..])).Split(':', 2);
            if (pair.Length != 2 || !_users.TryGetValue(pair[0], out var password) || password != pair[1])
            {
                context.Response.StatusCode = 401;
                context.Response.Close();
                return;
            }
            account = pair[0];
        }
        var access = new List<object>();
        foreach (var scope in context.Request.QueryString.GetValues("scope") ?? [])
        {
            var parts = scope.Split(':');
            if (parts.Length == 3)
            {
                // Anonymous callers may pull; only a known user may push.
                var actions = parts[2].Split(',').Where(a => a == "pull" || account.Length > 0).ToArray();
                access.Add(new Dictionary<string, object> { ["type"] = parts[0], ["name"] = parts[1], ["actions"] = actions });
            }
        }
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var claims = new Dictionary<string, object>
        {
            ["iss"] = Issuer, ["sub"] = account, ["aud"] = Service, ["exp"] = now + LifetimeSeconds, ["nbf"] = now - 10, ["iat"] = now,
            ["jti"] = Guid.NewGuid().ToString("N"), ["access"] = access,
        };
        var head = new Dictionary<string, object> { ["typ"] = "JWT", ["alg"] = "RS256", ["x5c"] = new[] { Convert.ToBase64String(_certificate.RawData) } };
        var signingInput = B64(JsonSerializer.SerializeToUtf8Bytes(head)) + "." + B64(JsonSerializer.SerializeToUtf8Bytes(claims));
        var signature = _key.SignData(Encoding.ASCII.GetBytes(signingInput), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var token = signingInput + "." + B64(signature);
        var body = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object> { ["token"] = token, ["expires_in"] = LifetimeSeconds });
        context.Response.ContentType = "application/json";
        context.Response.OutputStream.Write(body);
        context.Response.Close();
    }

    private static string B64(byte[] data) => Convert.ToBase64String(data).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public void Dispose()
    {
        _listener.Stop();
        _listener.Close();
        _loop.Wait(TimeSpan.FromSeconds(5));
        _certificate.Dispose();
        _key.Dispose();
    }
}
