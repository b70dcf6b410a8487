using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Berth.Distribution.Client.Credentials;
using Berth.Errdefs;

namespace Berth.Distribution.Client.Auth;

/// <summary>
/// Answers a registry's 401 (docker's token authentication specification): a <c>Bearer</c>
/// challenge names a token server (<c>realm</c>), a <c>service</c> and a <c>scope</c>; the
/// token is fetched with the credential as basic auth (anonymously without one), cached per
/// registry and scope until it expires, and sent as <c>Authorization: Bearer</c>. A
/// <c>Basic</c> challenge is answered with the credential itself. Once a registry has
/// challenged, later requests carry the answer up front, so bodies are not sent twice.
/// </summary>
public sealed class Authenticator(string registry, RegistryCredential? credential, TokenCache tokens, HttpClient http)
{
    /// <summary>A token answer is never read beyond this many bytes.</summary>
    public const int MaxTokenResponseBytes = 1 << 20;

    private Challenge? _challenge;

    public string Registry { get; } = registry;

    public RegistryCredential? Credential { get; } = credential;

    /// <summary>Whether the registry has challenged this client yet.</summary>
    public bool Challenged => _challenge is not null;

    /// <summary>Whether the registry's last challenge asked for basic auth.</summary>
    public bool ChallengedWithBasic => _challenge?.IsBasic == true;

    /// <summary>The Authorization header for <paramref name="scopes"/>, from what the registry asked for last; null when it has not asked.</summary>
    public async Task<AuthenticationHeaderValue?> HeaderAsync(IReadOnlyList<string> scopes, CancellationToken cancellationToken)
    {
        var challenge = _challenge;
        if (challenge is null)
            return null;
        if (challenge.IsBasic)
            return Credential is null ? null : Basic(Credential);
        if (!challenge.IsBearer)
            return null;
        var key = string.Join(' ', scopes);
        if (tokens.Get(Registry, key) is not { } token)
        {
            token = await FetchTokenAsync(challenge, scopes, cancellationToken).ConfigureAwait(false);
        }
        return new AuthenticationHeaderValue("Bearer", token);
    }

    /// <summary>
    /// Reads a 401's challenge. True when a retry with new credentials can succeed (the first
    /// challenge, or a bearer token that may have expired); false when retrying is pointless.
    /// </summary>
    public bool Accept(HttpResponseMessage unauthorized, IReadOnlyList<string> scopes)
    {
        var challenges = Challenge.Parse(string.Join(", ", unauthorized.Headers.WwwAuthenticate.Select(h => h.ToString())));
        var next = challenges.FirstOrDefault(c => c.IsBearer && !string.IsNullOrEmpty(c.Realm)) ?? challenges.FirstOrDefault(c => c.IsBasic);
        if (next is null)
            return false;
        var first = _challenge is null;
        _challenge = next;
        if (next.IsBearer)
        {
            tokens.Remove(Registry, string.Join(' ', scopes));
            return true;
        }
        return first && Credential is not null;
    }

    private async Task<string> FetchTokenAsync(Challenge challenge, IReadOnlyList<string> scopes, CancellationToken cancellationToken)
    {
        if (!Uri.TryCreate(challenge.Realm, UriKind.Absolute, out var realm) || realm.Scheme is not ("http" or "https"))
            throw new BerthException(ErrorKind.Unauthorized, $"get token from `{challenge.Realm}`: the realm is not an http(s) URL");
        var query = new StringBuilder(realm.Query.Length > 1 ? realm.Query[1..] : "");
        void Add(string key, string value) => query.Append(query.Length > 0 ? "&" : "").Append(key).Append('=').Append(Uri.EscapeDataString(value));
        if (challenge.Service is { Length: > 0 } service)
            Add("service", service);
        foreach (var scope in scopes)
            Add("scope", scope);
        if (Credential is not null)
            Add("account", Credential.Username);
        var uri = new UriBuilder(realm) { Query = query.ToString() }.Uri;
        using var request = new HttpRequestMessage(HttpMethod.Get, uri);
        if (Credential is not null)
            request.Headers.Authorization = Basic(Credential);
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        var body = await Bodies.ReadLimitedAsync(response, MaxTokenResponseBytes, cancellationToken).ConfigureAwait(false);
        var where = $"{realm.GetLeftPart(UriPartial.Path)}";
        if (response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
            throw new BerthException(ErrorKind.Unauthorized, $"get token from `{where}`: unauthorized: incorrect username or password");
        if (!response.IsSuccessStatusCode)
            throw new BerthException(ErrorKind.Unavailable, $"get token from `{where}`: {(int)response.StatusCode} {response.ReasonPhrase}");
        TokenResponse? answer;
        try
        {
            answer = JsonSerializer.Deserialize(body, ClientJson.Default.TokenResponse);
        }
        catch (JsonException e)
        {
            throw BerthException.Wrap(e, $"get token from `{where}`");
        }
        var token = answer?.Bearer ?? throw new BerthException(ErrorKind.Unauthorized, $"get token from `{where}`: the answer has no token");
        tokens.Put(Registry, string.Join(' ', scopes), token, answer.ExpiresIn is { } s ? TimeSpan.FromSeconds(s) : null);
        return token;
    }

    public static AuthenticationHeaderValue Basic(RegistryCredential credential) =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(credential.Username + ":" + credential.Password)));
}
