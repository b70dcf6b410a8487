using System.Text.Json.Serialization;

namespace Berth.Registry.Auth;

/// <summary>What a Berth token grants: a subject, an expiry (Unix seconds) and scopes, as docker's token spec's claims.</summary>
public sealed record TokenClaims(
    [property: JsonPropertyName("sub")] string Subject,
    [property: JsonPropertyName("exp")] long Expires,
    [property: JsonPropertyName("access")] IReadOnlyList<TokenAccess> Access);

/// <summary>One granted scope: <c>{"type":"repository","name":"foo","actions":["pull","push"]}</c>.</summary>
public sealed record TokenAccess(
    [property: JsonPropertyName("type")] string Type,
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("actions")] IReadOnlyList<string> Actions);

/// <summary>The token endpoint's answer; docker reads <c>token</c>, OAuth clients <c>access_token</c>.</summary>
public sealed record TokenResponse(
    [property: JsonPropertyName("token")] string Token,
    [property: JsonPropertyName("access_token")] string AccessToken,
    [property: JsonPropertyName("expires_in")] long ExpiresIn,
    [property: JsonPropertyName("issued_at")] string IssuedAt);

[JsonSerializable(typeof(TokenClaims))]
[JsonSerializable(typeof(TokenResponse))]
internal sealed partial class TokenJson : JsonSerializerContext;
