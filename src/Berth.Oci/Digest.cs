using System.Security.Cryptography;
using Berth.Errdefs;

namespace Berth.Oci;

/// <summary>
/// A content digest, "algorithm:encoded" (image-spec descriptor.md). Only sha256 and sha512 are
/// accepted, with lowercase hex of the right length, so that a digest can safely become a file
/// name. Parse rejects anything else with InvalidArgument naming the text.
/// </summary>
public readonly record struct Digest
{
    private Digest(string algorithm, string encoded)
    {
        Algorithm = algorithm;
        Encoded = encoded;
    }

    public string Algorithm { get; }

    public string Encoded { get; }

    public static Digest Parse(string text)
    {
        if (!TryParse(text, out var digest))
            throw BerthException.InvalidArgument($"invalid digest `{text}`");
        return digest;
    }

    public static bool TryParse(string? text, out Digest digest)
    {
        digest = default;
        if (text is null)
            return false;
        var colon = text.IndexOf(':');
        if (colon <= 0)
            return false;
        var algorithm = text[..colon];
        var encoded = text[(colon + 1)..];
        var length = algorithm switch { "sha256" => 64, "sha512" => 128, _ => -1 };
        if (encoded.Length != length || !encoded.All(c => c is >= '0' and <= '9' or >= 'a' and <= 'f'))
            return false;
        digest = new Digest(algorithm, encoded);
        return true;
    }

    /// <summary>The sha256 digest of <paramref name="data"/>.</summary>
    public static Digest Of(ReadOnlySpan<byte> data) => FromHash("sha256", SHA256.HashData(data));

    public static Digest FromHash(string algorithm, ReadOnlySpan<byte> hash) =>
        new(algorithm, Convert.ToHexStringLower(hash));

    public override string ToString() => Algorithm is null ? "" : $"{Algorithm}:{Encoded}";
}
