using System.Globalization;
using System.Text.Json;
using Berth.Distribution.Errors;
using Berth.Oci.References;
using Microsoft.AspNetCore.Http;

namespace Berth.Registry.Auth;

/// <summary>
/// The token endpoint, <c>GET /token?service=…&amp;scope=repository:NAME:pull,push</c>: a client with
/// a valid htpasswd user (HTTP Basic) gets the pull and push it asks for on each repository it names;
/// a client without credentials gets pull only, and only when anonymous pull is on; a wrong password is
/// 401 UNAUTHORIZED. Scopes naming an invalid repository or unknown actions are dropped, not granted.
/// </summary>
public sealed class TokenService
{
    private const int MaxScopes = 16;
    private readonly TokenAuth _tokens;
    private readonly Htpasswd _users;
    private readonly bool _anonymousPull;
    private readonly TimeSpan _lifetime;

    public TokenService(TokenAuth tokens, Htpasswd users, bool anonymousPull, TimeSpan lifetime)
    {
        _tokens = tokens;
        _users = users;
        _anonymousPull = anonymousPull;
        _lifetime = lifetime;
    }

    public Task HandleAsync(HttpContext http)
    {
        string subject = "";
        var authorization = http.Request.Headers.Authorization.ToString();
        if (authorization.Length > 0)
        {
            if (!Htpasswd.TryParseBasic(authorization, out var user, out var password) || !_users.Verify(user, password))
            {
                http.Response.Headers.WWWAuthenticate = "Basic realm=\"berth-registry-token\"";
                return Handlers.Responses.ErrorAsync(http, ErrorCode.Unauthorized, "invalid username or password");
            }
            subject = user;
        }
        var claims = Grant(subject, http.Request.Query["scope"].Take(MaxScopes).Select(s => s ?? ""));
        var token = _tokens.Issue(claims);
        var response = new TokenResponse(token, token, (long)_lifetime.TotalSeconds, DateTime.UtcNow.ToString("o", CultureInfo.InvariantCulture));
        return Handlers.Responses.JsonAsync(http, JsonSerializer.SerializeToUtf8Bytes(response, TokenJson.Default.TokenResponse));
    }

    /// <summary>What <paramref name="subject"/> ("" for anonymous) gets of the scopes asked for.</summary>
    public TokenClaims Grant(string subject, IEnumerable<string> scopes)
    {
        var access = new List<TokenAccess>();
        foreach (var scope in scopes.SelectMany(s => s.Split(' ', StringSplitOptions.RemoveEmptyEntries)))
        {
            var parts = scope.Split(':');
            if (parts.Length != 3 || parts[0] != "repository" || !Reference.IsValidPath(parts[1]))
                continue;
            var actions = parts[2].Split(',').Where(a => a is "pull" or "push")
                .Where(a => subject.Length > 0 || a == "pull" && _anonymousPull).Distinct().ToList();
            if (actions.Count > 0)
                access.Add(new TokenAccess("repository", parts[1], actions));
        }
        var expires = DateTimeOffset.UtcNow.Add(_lifetime).ToUnixTimeSeconds();
        return new TokenClaims(subject, expires, access);
    }
}
