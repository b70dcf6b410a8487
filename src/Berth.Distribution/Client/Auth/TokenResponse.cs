using System.Text.Json.Serialization;

namespace Berth.Distribution.Client.Auth;

/// <summary>
/// A token server's answer (docker's token authentication specification): <c>token</c>, or
/// OAuth2's <c>access_token</c>, valid for <c>expires_in</c> seconds (60 when absent, as the
/// specification says) from <c>issued_at</c>.
/// </summary>
public sealed record TokenResponse
{
    [JsonPropertyName("token")] public string? Token { get; init; }

    [JsonPropertyName("access_token")] public string? AccessToken { get; init; }

    [JsonPropertyName("expires_in")] public int? ExpiresIn { get; init; }

    [JsonPropertyName("issued_at")] public string? IssuedAt { get; init; }

    /// <summary>The bearer token to send: token, else access_token.</summary>
    public string? Bearer => !string.IsNullOrEmpty(Token) ? Token : AccessToken;
}
