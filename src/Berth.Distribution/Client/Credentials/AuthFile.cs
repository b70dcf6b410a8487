using System.Text.Json.Serialization;

namespace Berth.Distribution.Client.Credentials;

/// <summary>
/// docker's <c>config.json</c>, the part credentials live in: <c>{"auths": {"HOST": {"auth":
/// base64("user:password")}}}</c>. berth's own auth file has the same shape, so either tool
/// reads the other's.
/// </summary>
public sealed record AuthFile
{
    [JsonPropertyName("auths")] public Dictionary<string, AuthEntry>? Auths { get; init; }

    /// <summary>A credential helper docker would ask; berth does not run helpers (it says so when one is set).</summary>
    [JsonPropertyName("credsStore")] public string? CredsStore { get; init; }
}

/// <summary>One registry's entry: <c>auth</c> (base64 of user:password), or the two apart, or an identity token.</summary>
public sealed record AuthEntry
{
    [JsonPropertyName("auth")] public string? Auth { get; init; }

    [JsonPropertyName("username")] public string? Username { get; init; }

    [JsonPropertyName("password")] public string? Password { get; init; }

    [JsonPropertyName("identitytoken")] public string? IdentityToken { get; init; }
}
