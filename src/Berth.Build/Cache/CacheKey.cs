using System.Buffers.Binary;
using System.Text;
using Berth.Oci;

namespace Berth.Build.Cache;

/// <summary>
/// The cache key of a build step. The fields are encoded canonically and the encoding is
/// hashed with sha256:
/// <code>
///   field("berth.build.cachekey.v1")
///   field(parent digest as "alg:hex", "" for none)
///   field(instruction text after expansion, UTF-8)
///   u64 count of inputs, then field(input digest) for each, in the order given
///   u64 count of extras, then field(key) field(value) for each, keys in ordinal order
/// </code>
/// where <c>field(s)</c> is the UTF-8 byte length of s as a big-endian u64 followed by the bytes,
/// so no two different inputs share an encoding. Changing this encoding changes every key:
/// bump the version string when doing so.
/// </summary>
public static class CacheKey
{
    public const string Version = "berth.build.cachekey.v1";

    public static Digest For(Digest parent, string instructionText, IReadOnlyList<Digest> inputs, IReadOnlyDictionary<string, string>? extra)
    {
        ArgumentNullException.ThrowIfNull(instructionText);
        ArgumentNullException.ThrowIfNull(inputs);
        return Digest.Of(Encode(parent, instructionText, inputs, extra));
    }

    /// <summary>The bytes <see cref="For"/> hashes.</summary>
    public static byte[] Encode(Digest parent, string instructionText, IReadOnlyList<Digest> inputs, IReadOnlyDictionary<string, string>? extra)
    {
        ArgumentNullException.ThrowIfNull(instructionText);
        ArgumentNullException.ThrowIfNull(inputs);
        using var buffer = new MemoryStream();
        Field(buffer, Version);
        Field(buffer, parent.ToString());
        Field(buffer, instructionText);
        Count(buffer, inputs.Count);
        foreach (var input in inputs)
        {
            Field(buffer, input.ToString());
        }
        var pairs = extra is null ? [] : extra.OrderBy(p => p.Key, StringComparer.Ordinal).ToList();
        Count(buffer, pairs.Count);
        foreach (var (key, value) in pairs)
        {
            Field(buffer, key);
            Field(buffer, value ?? "");
        }
        return buffer.ToArray();
    }

    private static void Field(MemoryStream buffer, string value)
    {
        var bytes = Encoding.UTF8.GetBytes(value);
        Count(buffer, bytes.Length);
        buffer.Write(bytes);
    }

    private static void Count(MemoryStream buffer, int count)
    {
        Span<byte> b = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64BigEndian(b, (ulong)count);
        buffer.Write(b);
    }
}
