using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Berth.Distribution.Errors;

/// <summary>One entry of an error body: <c>{"code": …, "message": …, "detail": …}</c>.</summary>
public sealed record RegistryError(
    [property: JsonPropertyName("code")] string Code,
    [property: JsonPropertyName("message")] string Message,
    [property: JsonPropertyName("detail")] JsonNode? Detail = null)
{
    public static RegistryError From(ErrorCode code, string? message = null, JsonNode? detail = null) =>
        new(code.Code, message ?? code.Message, detail);
}

/// <summary>
/// The spec's error body, <c>{"errors": [ … ]}</c>. <see cref="TryParse"/> reads what a registry
/// sent, which is untrusted: a body that is too long or not this shape gives null, and the caller
/// falls back to the HTTP status.
/// </summary>
public sealed record ErrorBody([property: JsonPropertyName("errors")] IReadOnlyList<RegistryError> Errors)
{
    /// <summary>Longer than any real error body; a registry that sends more is not read further.</summary>
    public const int MaxLength = 64 * 1024;

    public static ErrorBody Of(ErrorCode code, string? message = null, JsonNode? detail = null) =>
        new([RegistryError.From(code, message, detail)]);

    public byte[] ToUtf8() => JsonSerializer.SerializeToUtf8Bytes(this, DistributionJson.Default.ErrorBody);

    public static ErrorBody? TryParse(ReadOnlySpan<byte> utf8)
    {
        if (utf8.Length is 0 or > MaxLength)
            return null;
        try
        {
            var body = JsonSerializer.Deserialize(utf8, DistributionJson.Default.ErrorBody);
            return body?.Errors is { Count: > 0 } errors && errors.All(e => e?.Code is not null) ? body : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>"CODE: message" for each entry, joined as docker prints them.</summary>
    public override string ToString() =>
        string.Join("; ", Errors.Select(e => string.IsNullOrEmpty(e.Message) ? e.Code : $"{e.Code}: {e.Message}"));
}
