using System.Security.Cryptography;
using System.Text.Json;

namespace Berth.Registry.Auth;

/// <summary>
/// Bearer tokens with per-repository scopes (docker's token authentication). A token is
/// <c>base64url(claims JSON).base64url(HMAC-SHA256(key, claims JSON))</c>, issued by this registry's
/// own <see cref="TokenService"/> and checked here: the signature, the expiry, and that every scope
/// the request needs (<c>repository:NAME:pull</c> or <c>push</c>) is granted. Otherwise 401 with a
/// <c>Bearer realm=…,service=…,scope=…</c> challenge telling the client what to ask for.
/// </summary>
public sealed class TokenAuth : IAuthenticator
{
    public const int MaxTokenLength = 16 * 1024;
    private readonly byte[] _key;
    private readonly string _realm;
    private readonly string _service;

    public TokenAuth(byte[] key, string realm, string service)
    {
        _key = key;
        _realm = realm;
        _service = service;
    }

    public AuthResult Check(string? authorization, IReadOnlyList<Access> needed)
    {
        var claims = authorization is not null && authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
            ? Verify(authorization[7..].Trim())
            : null;
        if (claims is not null && needed.All(access => Grants(claims, access)))
            return AuthResult.Allow;
        var scopes = string.Join(' ', needed.Where(a => a.Repository.Length > 0)
            .Select(a => a.Action == Access.Push ? $"repository:{a.Repository}:pull,push" : a.Scope));
        var challenge = $"Bearer realm=\"{_realm}\",service=\"{_service}\"" + (scopes.Length > 0 ? $",scope=\"{scopes}\"" : "");
        return AuthResult.Deny(challenge, claims is null ? "authentication required" : "insufficient scope");
    }

    private static bool Grants(TokenClaims claims, Access access) =>
        access.Repository.Length == 0 ||
        claims.Access.Any(a => a.Type == "repository" && a.Name == access.Repository && a.Actions.Contains(access.Action));

    public string Issue(TokenClaims claims)
    {
        var payload = JsonSerializer.SerializeToUtf8Bytes(claims, TokenJson.Default.TokenClaims);
        return Base64Url(payload) + "." + Base64Url(HMACSHA256.HashData(_key, payload));
    }

    /// <summary>The claims of a well-signed, unexpired token; null for anything else.</summary>
    public TokenClaims? Verify(string token)
    {
        if (token.Length > MaxTokenLength)
            return null;
        var dot = token.IndexOf('.');
        if (dot <= 0)
            return null;
        try
        {
            var payload = System.Buffers.Text.Base64Url.DecodeFromChars(token.AsSpan(0, dot));
            var signature = System.Buffers.Text.Base64Url.DecodeFromChars(token.AsSpan(dot + 1));
            if (!CryptographicOperations.FixedTimeEquals(signature, HMACSHA256.HashData(_key, payload)))
                return null;
            var claims = JsonSerializer.Deserialize(payload, TokenJson.Default.TokenClaims);
            return claims is not null && claims.Access is not null && claims.Expires > DateTimeOffset.UtcNow.ToUnixTimeSeconds() ? claims : null;
        }
        catch (Exception e) when (e is FormatException or JsonException)
        {
            return null;
        }
    }

    private static string Base64Url(byte[] bytes) => System.Buffers.Text.Base64Url.EncodeToString(bytes);
}
