using System.Net;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Berth.Distribution.Client.Auth;
using Berth.Distribution.Client.Credentials;
using Berth.Distribution.Client.Hosts;
using Berth.Distribution.Errors;
using Berth.Distribution.Routes;
using Berth.Errdefs;

namespace Berth.Distribution.Client;

/// <summary>
/// The distribution API of one registry endpoint, over HttpClient: manifests
/// (<see cref="GetManifestAsync"/>, <see cref="PutManifestAsync"/>), blobs and uploads (the
/// other partials). Every request goes through <see cref="SendAsync"/>, which answers the
/// registry's challenges (see <see cref="Authenticator"/>) and retries once after a 401. An
/// insecure endpoint (loopback, or listed as insecure) that cannot speak https is spoken to over
/// http from then on, as docker falls back. Errors are BerthExceptions whose kind comes from the
/// shared error-code table and whose message is docker's: "manifest unknown: manifest unknown".
/// </summary>
public sealed partial class RegistryClient : IDisposable
{
    private readonly HttpClient _http;
    private readonly bool _ownsHttp;
    private string _scheme;

    public RegistryClient(RegistryEndpoint endpoint, RegistryCredential? credential, TokenCache tokens, HttpMessageHandler? handler = null)
    {
        Endpoint = endpoint;
        _ownsHttp = true;
        _http = new HttpClient(handler ?? CreateHandler(endpoint), disposeHandler: true) { Timeout = Timeout.InfiniteTimeSpan };
        _http.DefaultRequestHeaders.UserAgent.ParseAdd("berth/0.1");
        _scheme = endpoint.Scheme ?? "https";
        Auth = new Authenticator(endpoint.Host, credential, tokens, _http);
    }

    public RegistryEndpoint Endpoint { get; }

    public Authenticator Auth { get; }

    /// <summary>The base URL in use: https, or http after an insecure endpoint's fallback.</summary>
    public string BaseUrl => $"{_scheme}://{Endpoint.Host}";

    /// <summary>Limits on what a registry may send: manifests (the spec's 4 MiB), error bodies, status bodies.</summary>
    public const int MaxManifestBytes = Berth.Oci.Image.ImageJson.MaxManifestBytes;

    public static SocketsHttpHandler CreateHandler(RegistryEndpoint endpoint)
    {
        var handler = new SocketsHttpHandler
        {
            ConnectTimeout = TimeSpan.FromSeconds(30),
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(60),
            AutomaticDecompression = DecompressionMethods.None,
            AllowAutoRedirect = true,
            MaxAutomaticRedirections = 10,
        };
        if (endpoint.Insecure)
        {
            handler.SslOptions.RemoteCertificateValidationCallback = (_, _, _, _) => true;
        }
        else if (endpoint.CaFile is { } caFile)
        {
            var roots = new X509Certificate2Collection();
            roots.ImportFromPemFile(caFile);
            handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, errors) =>
            {
                if (errors == SslPolicyErrors.None)
                    return true;
                if (certificate is null || (errors & ~SslPolicyErrors.RemoteCertificateChainErrors) != 0)
                    return false;
                using var chain = new X509Chain();
                chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
                chain.ChainPolicy.CustomTrustStore.AddRange(roots);
                chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
                return chain.Build(X509CertificateLoader.LoadCertificate(certificate.GetRawCertData()));
            };
        }
        return handler;
    }

    /// <summary>The scope a repository operation needs: <c>repository:NAME:pull</c> or <c>…:pull,push</c>.</summary>
    public static string Scope(string repository, bool push) => $"repository:{repository}:{(push ? "pull,push" : "pull")}";

    /// <summary>
    /// Sends the request <paramref name="make"/> builds (called again for the retry, so bodies are
    /// rebuilt), with the authorization <paramref name="scopes"/> need. A 401 is answered once.
    /// Returns the response whatever its status; the caller disposes it.
    /// </summary>
    public async Task<HttpResponseMessage> SendAsync(Func<string, HttpRequestMessage> make, IReadOnlyList<string> scopes, CancellationToken cancellationToken)
    {
        var answered = false;
        while (true)
        {
            using var request = make(BaseUrl);
            // Credentials and tokens go to this registry only, never to a host an upload Location names.
            if (request.RequestUri is { } uri && string.Equals(uri.Authority, Endpoint.Host, StringComparison.OrdinalIgnoreCase))
                request.Headers.Authorization = await Auth.HeaderAsync(scopes, cancellationToken).ConfigureAwait(false);
            HttpResponseMessage response;
            try
            {
                response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
            }
            catch (HttpRequestException) when (Endpoint.Insecure && Endpoint.Scheme is null && request.RequestUri?.Scheme == "https")
            {
                // docker's fallback for insecure registries: https first, then plain http. The
                // request's own scheme is tested, not _scheme: requests in parallel (one per
                // layer) can all fail over https, and each must retry after the first switched.
                _scheme = "http";
                continue;
            }
            catch (HttpRequestException e)
            {
                throw new BerthException(ErrorKind.Unavailable, $"{request.Method} {request.RequestUri}: {Lower(e.Message)}", e);
            }
            if (response.StatusCode == HttpStatusCode.Unauthorized && !answered && Auth.Accept(response, scopes))
            {
                answered = true;
                response.Dispose();
                continue;
            }
            if (response.StatusCode == HttpStatusCode.Unauthorized && Auth.Credential is null && Auth.ChallengedWithBasic)
            {
                // docker's words when a registry asks for a password and none is stored.
                var where = $"{Go(request.Method)} \"{request.RequestUri}\"";
                response.Dispose();
                throw new BerthException(ErrorKind.Unauthorized, $"{where}: no basic auth credentials");
            }
            return response;
        }
    }

    /// <summary>GET /v2/: the API check, and the challenge a login answers.</summary>
    public async Task PingAsync(CancellationToken cancellationToken = default)
    {
        HttpResponseMessage response;
        try
        {
            response = await SendAsync(b => new HttpRequestMessage(HttpMethod.Get, b + RouteTable.Build(RouteName.Base)), [], cancellationToken).ConfigureAwait(false);
        }
        catch (BerthException e) when (e.Kind == ErrorKind.Unauthorized)
        {
            // The token server refused the credential: docker's words for it.
            throw new BerthException(ErrorKind.Unauthorized, $"Get \"{BaseUrl}/v2/\": unauthorized: incorrect username or password", e);
        }
        using var disposing = response;
        if (response.StatusCode == HttpStatusCode.Unauthorized)
            throw new BerthException(ErrorKind.Unauthorized, $"login attempt to {BaseUrl}/v2/ failed with status: 401 Unauthorized");
        if (!response.IsSuccessStatusCode)
            throw await FailureAsync(response, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The error a failed response stands for: the spec's error body when there is one ("CODE
    /// in words: message", docker's shape), else the status. Kind from the shared table.
    /// </summary>
    public static async Task<BerthException> FailureAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var status = (int)response.StatusCode;
        byte[] body;
        try
        {
            body = await Bodies.ReadLimitedAsync(response, ErrorBody.MaxLength, cancellationToken).ConfigureAwait(false);
        }
        catch (BerthException)
        {
            body = [];
        }
        var parsed = ErrorBody.TryParse(body);
        if (parsed is null)
        {
            var text = status == 401 ? "unauthorized: authentication required" : $"unexpected status from {response.RequestMessage?.Method} request to {response.RequestMessage?.RequestUri}: {status} {response.ReasonPhrase}";
            return new BerthException(ErrorCode.KindOf(null, status), text);
        }
        var first = parsed.Errors[0];
        var message = string.Join("; ", parsed.Errors.Select(e => e.Code.ToLowerInvariant().Replace('_', ' ') + (string.IsNullOrEmpty(e.Message) ? "" : ": " + e.Message)));
        return new BerthException(ErrorCode.KindOf(first.Code, status), message);
    }

    /// <summary>An HTTP method as Go's net/http names it in errors: Get, Head, Put.</summary>
    private static string Go(HttpMethod method) => method.Method[..1] + method.Method[1..].ToLowerInvariant();

    private static string Lower(string s) => s.Length > 1 && char.IsUpper(s[0]) && !char.IsUpper(s[1]) ? char.ToLowerInvariant(s[0]) + s[1..] : s;

    public void Dispose()
    {
        if (_ownsHttp)
            _http.Dispose();
    }
}
