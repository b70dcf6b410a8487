using System.Text;

namespace Berth.Images.Layers;

/// <summary>
/// Reads SCHILY.xattr.* records as raw bytes from the header blocks the tar reader consumed.
/// System.Formats.Tar decodes PAX values as UTF-8, which corrupts binary values such as
/// security.capability, so the applier re-reads the PAX block itself.
/// </summary>
internal static class PaxXattrs
{
    public const string Prefix = "SCHILY.xattr.";

    /// <summary>The xattrs in the first PAX ('x') block of <paramref name="headers"/>, or null when it cannot be found.</summary>
    public static Dictionary<string, byte[]>? Parse(ReadOnlySpan<byte> headers)
    {
        // The reader skips the previous entry's padding (under 512 zero bytes) before the
        // header; a header never starts with NUL, so skip to the first non-zero byte.
        var start = headers.IndexOfAnyExcept((byte)0);
        if (start < 0 || start >= 512)
        {
            return null;
        }

        headers = headers[start..];
        while (headers.Length >= 512)
        {
            var block = headers[..512];
            if (!ChecksumOk(block))
            {
                return null;
            }

            var type = block[156];
            if (!TryOctal(block.Slice(124, 12), out var size) || size > headers.Length - 512)
            {
                return null;
            }

            var data = headers.Slice(512, (int)size);
            if (type == (byte)'x')
            {
                return Records(data);
            }

            if (type is not ((byte)'L' or (byte)'K' or (byte)'g'))
            {
                return null;
            }

            var padded = 512 + (int)((size + 511) / 512 * 512);
            headers = headers[Math.Min(padded, headers.Length)..];
        }

        return null;
    }

    private static Dictionary<string, byte[]>? Records(ReadOnlySpan<byte> data)
    {
        var result = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        while (data.Length > 0)
        {
            var space = data.IndexOf((byte)' ');
            if (space <= 0 || !int.TryParse(data[..space], out var length) || length <= space + 1 || length > data.Length)
            {
                return null;
            }

            var record = data[(space + 1)..length];
            var eq = record.IndexOf((byte)'=');
            if (eq < 0 || record[^1] != (byte)'\n')
            {
                return null;
            }

            var key = Encoding.UTF8.GetString(record[..eq]);
            if (key.StartsWith(Prefix, StringComparison.Ordinal))
            {
                result[key[Prefix.Length..]] = record[(eq + 1)..^1].ToArray();
            }

            data = data[length..];
        }

        return result;
    }

    private static bool ChecksumOk(ReadOnlySpan<byte> block)
    {
        if (!TryOctal(block.Slice(148, 8), out var expected))
        {
            return false;
        }

        long sum = 0;
        for (var i = 0; i < 512; i++)
        {
            sum += i is >= 148 and < 156 ? (byte)' ' : block[i];
        }

        return sum == expected;
    }

    private static bool TryOctal(ReadOnlySpan<byte> field, out long value)
    {
        value = 0;
        var seen = false;
        foreach (var b in field)
        {
            if (b is (byte)' ' or 0)
            {
                if (seen)
                {
                    break;
                }

                continue;
            }

            if (b is < (byte)'0' or > (byte)'7')
            {
                return false;
            }

            seen = true;
            value = value * 8 + (b - '0');
        }

        return seen;
    }
}
