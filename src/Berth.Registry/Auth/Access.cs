namespace Berth.Registry.Auth;

/// <summary>
/// What a request needs: an action on a repository (docker's token scope
/// <c>repository:NAME:pull</c>), or on the registry itself for <c>/v2/</c> and <c>_catalog</c>
/// (<c>registry:catalog:*</c>), where a repository of "" stands for that.
/// </summary>
public readonly record struct Access(string Repository, string Action)
{
    public const string Pull = "pull";
    public const string Push = "push";

    public static Access Registry { get; } = new("", Pull);

    /// <summary>The scope string a token challenge names.</summary>
    public string Scope => Repository.Length == 0 ? "registry:catalog:*" : $"repository:{Repository}:{Action}";
}

/// <summary>The outcome of checking a request: allowed, or the challenge to send with 401 UNAUTHORIZED.</summary>
public readonly record struct AuthResult(bool Allowed, string? Challenge, string? Message)
{
    public static AuthResult Allow { get; } = new(true, null, null);

    public static AuthResult Deny(string challenge, string message) => new(false, challenge, message);
}

/// <summary>
/// Decides whether a request may do what it needs. Implementations: <see cref="AnonymousAuth"/>
/// (everything is allowed), <see cref="HtpasswdAuth"/> (HTTP Basic against bcrypt hashes) and
/// <see cref="TokenAuth"/> (Bearer tokens carrying per-repository scopes). A missing or wrong
/// credential is a denial with a challenge, never an exception.
/// </summary>
public interface IAuthenticator
{
    AuthResult Check(string? authorization, IReadOnlyList<Access> needed);
}

public sealed class AnonymousAuth : IAuthenticator
{
    public AuthResult Check(string? authorization, IReadOnlyList<Access> needed) => AuthResult.Allow;
}
