using System.Text;

namespace Berth.Images.Layers;

/// <summary>
/// A minimal, deterministic tar writer for layer diffs: ustar headers, with a PAX ('x')
/// header before an entry only when it needs one (long names, big ids or sizes, xattrs).
/// Unlike System.Formats.Tar's writer it writes xattr values as raw bytes (security.capability
/// is binary) and never adds access or change times, so the same tree gives the same bytes.
/// </summary>
internal sealed class TarBlockWriter(Stream output)
{
    private const long MaxOctal7 = 0x1fffff; // 7 octal digits
    private const long MaxOctal11 = 0x1ffffffff; // 11 octal digits

    public void WriteHeader(TarBlockEntry entry)
    {
        var pax = new List<(string Key, byte[] Value)>();
        var name = Encoding.UTF8.GetBytes(entry.Name);
        var link = Encoding.UTF8.GetBytes(entry.LinkName ?? "");
        if (name.Length > 100)
        {
            pax.Add(("path", name));
        }

        if (link.Length > 100)
        {
            pax.Add(("linkpath", link));
        }

        if (entry.Uid > MaxOctal7)
        {
            pax.Add(("uid", Ascii(entry.Uid)));
        }

        if (entry.Gid > MaxOctal7)
        {
            pax.Add(("gid", Ascii(entry.Gid)));
        }

        if (entry.Size > MaxOctal11)
        {
            pax.Add(("size", Ascii(entry.Size)));
        }

        foreach (var (key, value) in entry.Xattrs.OrderBy(x => x.Key, StringComparer.Ordinal))
        {
            pax.Add((PaxXattrs.Prefix + key, value));
        }

        if (pax.Count > 0)
        {
            var records = Records(pax);
            var slash = entry.Name.TrimEnd('/').LastIndexOf('/');
            var paxName = (slash < 0 ? "" : entry.Name[..(slash + 1)]) + "PaxHeaders.0/" + entry.Name.TrimEnd('/')[(slash + 1)..];
            output.Write(Header(Encoding.UTF8.GetBytes(paxName), [], (byte)'x', 0, 0, 0, records.Length, entry.MtimeSeconds, 0, 0));
            output.Write(records);
            Pad(records.Length);
        }

        output.Write(Header(name, link, entry.Type, entry.Mode, entry.Uid, entry.Gid, entry.Size, entry.MtimeSeconds,
            entry.DevMajor, entry.DevMinor));
    }

    public void Pad(long size) => output.Write(new byte[(512 - (int)(size % 512)) % 512]);

    public void Finish() => output.Write(new byte[1024]);

    private static byte[] Records(List<(string Key, byte[] Value)> pax)
    {
        var buffer = new MemoryStream();
        foreach (var (key, value) in pax)
        {
            // "LEN key=value\n", where LEN counts itself.
            var rest = 1 + Encoding.UTF8.GetByteCount(key) + 1 + value.Length + 1;
            var length = rest + 1;
            while (length.ToString().Length + rest != length)
            {
                length++;
            }

            buffer.Write(Encoding.ASCII.GetBytes(length + " " + key + "="));
            buffer.Write(value);
            buffer.WriteByte((byte)'\n');
        }

        return buffer.ToArray();
    }

    private static byte[] Header(byte[] name, byte[] link, byte type, long mode, long uid, long gid, long size, long mtime,
        long devMajor, long devMinor)
    {
        var h = new byte[512];
        name.AsSpan(0, Math.Min(100, name.Length)).CopyTo(h);
        Octal(h, 100, 8, mode);
        Octal(h, 108, 8, uid > MaxOctal7 ? 0 : uid);
        Octal(h, 116, 8, gid > MaxOctal7 ? 0 : gid);
        Octal(h, 124, 12, size > MaxOctal11 ? 0 : size);
        Octal(h, 136, 12, Math.Clamp(mtime, 0, MaxOctal11));
        h[156] = type;
        link.AsSpan(0, Math.Min(100, link.Length)).CopyTo(h.AsSpan(157));
        "ustar\0"u8.CopyTo(h.AsSpan(257));
        "00"u8.CopyTo(h.AsSpan(263));
        if (type is (byte)'3' or (byte)'4')
        {
            Octal(h, 329, 8, devMajor);
            Octal(h, 337, 8, devMinor);
        }

        h.AsSpan(148, 8).Fill((byte)' ');
        long sum = 0;
        foreach (var b in h)
        {
            sum += b;
        }

        Octal(h, 148, 7, sum);
        return h;
    }

    private static void Octal(byte[] h, int offset, int length, long value)
    {
        var text = Convert.ToString(value, 8).PadLeft(length - 1, '0');
        if (text.Length > length - 1)
        {
            throw new ArgumentOutOfRangeException(nameof(value), $"{value} does not fit a {length}-byte tar field");
        }

        Encoding.ASCII.GetBytes(text).CopyTo(h, offset);
    }

    private static byte[] Ascii(long value) => Encoding.ASCII.GetBytes(value.ToString(System.Globalization.CultureInfo.InvariantCulture));
}

/// <summary>One header for <see cref="TarBlockWriter"/>; Type is the ustar typeflag byte.</summary>
internal sealed record TarBlockEntry(string Name, byte Type)
{
    public string? LinkName { get; init; }
    public long Mode { get; init; }
    public long Uid { get; init; }
    public long Gid { get; init; }
    public long Size { get; init; }
    public long MtimeSeconds { get; init; }
    public long DevMajor { get; init; }
    public long DevMinor { get; init; }
    public IReadOnlyDictionary<string, byte[]> Xattrs { get; init; } = new Dictionary<string, byte[]>();
}
