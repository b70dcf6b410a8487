using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;

namespace Berth.Registry.Auth;

/// <summary>
/// HTTP Basic against an <see cref="Htpasswd"/> file: any known user with the right password may pull
/// and push. bcrypt is slow on purpose, so a header that verified once is remembered (by its SHA-256,
/// never in clear) and later requests with it cost a dictionary look-up.
/// </summary>
public sealed class HtpasswdAuth : IAuthenticator
{
    private const int MaxRemembered = 1024;
    private readonly Htpasswd _file;
    private readonly string _challenge;
    private readonly ConcurrentDictionary<string, bool> _verified = new(StringComparer.Ordinal);

    public HtpasswdAuth(Htpasswd file, string realm)
    {
        _file = file;
        _challenge = $"Basic realm=\"{realm}\"";
    }

    public AuthResult Check(string? authorization, IReadOnlyList<Access> needed)
    {
        if (authorization is null)
            return AuthResult.Deny(_challenge, "authentication required");
        var key = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(authorization)));
        if (_verified.ContainsKey(key))
            return AuthResult.Allow;
        if (!Htpasswd.TryParseBasic(authorization, out var user, out var password) || !_file.Verify(user, password))
            return AuthResult.Deny(_challenge, "invalid username or password");
        if (_verified.Count >= MaxRemembered)
            _verified.Clear();
        _verified[key] = true;
        return AuthResult.Allow;
    }

    /// <summary>The user a Basic header names once its password is checked; null when it does not verify.</summary>
    public string? Authenticate(string? authorization) =>
        Check(authorization, []).Allowed && Htpasswd.TryParseBasic(authorization, out var user, out _) ? user : null;
}
