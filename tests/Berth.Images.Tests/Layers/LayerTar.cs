using System.Formats.Tar;
using System.IO.Compression;

namespace Berth.Images.Tests.Layers;

/// <summary>Builds layer tars in tests with TarWriter (PAX format).</summary>
internal sealed class LayerTar
{
    public static readonly DateTimeOffset Time = new(2020, 1, 2, 3, 4, 5, TimeSpan.Zero);
    private readonly MemoryStream _stream = new();
    private readonly TarWriter _writer;

    public LayerTar() => _writer = new TarWriter(_stream, TarEntryFormat.Pax, leaveOpen: true);

    public LayerTar Dir(string name, UnixFileMode mode = (UnixFileMode)0x1ed, int uid = 0, int gid = 0, DateTimeOffset? mtime = null) =>
        Add(new PaxTarEntry(TarEntryType.Directory, name) { Mode = mode, Uid = uid, Gid = gid, ModificationTime = mtime ?? Time });

    public LayerTar File(string name, string content, UnixFileMode mode = (UnixFileMode)0x1a4, int uid = 0, int gid = 0,
        DateTimeOffset? mtime = null, Dictionary<string, string>? pax = null)
    {
        var entry = pax is null ? new PaxTarEntry(TarEntryType.RegularFile, name) : new PaxTarEntry(TarEntryType.RegularFile, name, pax);
        entry.Mode = mode;
        entry.Uid = uid;
        entry.Gid = gid;
        entry.ModificationTime = mtime ?? Time;
        entry.DataStream = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(content));
        return Add(entry);
    }

    public LayerTar Symlink(string name, string target) =>
        Add(new PaxTarEntry(TarEntryType.SymbolicLink, name) { LinkName = target, ModificationTime = Time, Mode = (UnixFileMode)0x1ff });

    public LayerTar HardLink(string name, string target) =>
        Add(new PaxTarEntry(TarEntryType.HardLink, name) { LinkName = target, ModificationTime = Time });

    public LayerTar Device(string name, TarEntryType type, int major, int minor) =>
        Add(new PaxTarEntry(type, name) { DeviceMajor = major, DeviceMinor = minor, Mode = (UnixFileMode)0x1b0, ModificationTime = Time });

    public LayerTar Fifo(string name) =>
        Add(new PaxTarEntry(TarEntryType.Fifo, name) { Mode = (UnixFileMode)0x1a4, ModificationTime = Time });

    /// <summary>
    /// A regular file whose PAX header holds raw byte values (TarWriter can only write UTF-8
    /// strings, and security.capability is binary).
    /// </summary>
    public LayerTar RawPaxFile(string name, string content, Dictionary<string, byte[]> records) =>
        RawPax(name, (byte)'0', content, records);

    public LayerTar RawPaxDir(string name, Dictionary<string, byte[]> records) => RawPax(name, (byte)'5', "", records);

    private LayerTar RawPax(string name, byte type, string content, Dictionary<string, byte[]> records)
    {
        var pax = new MemoryStream();
        foreach (var (key, value) in records)
        {
            var body = System.Text.Encoding.UTF8.GetBytes(" " + key + "=").Concat(value).Append((byte)'\n').ToArray();
            var length = body.Length + 1;
            while (length.ToString().Length + body.Length != length)
            {
                length++;
            }

            pax.Write(System.Text.Encoding.ASCII.GetBytes(length.ToString()));
            pax.Write(body);
        }

        var data = System.Text.Encoding.UTF8.GetBytes(content);
        WriteBlocks(Header("PaxHeaders/" + name, (byte)'x', pax.Length), pax.ToArray());
        WriteBlocks(Header(name, type, data.Length), data);
        return this;
    }

    private void WriteBlocks(byte[] header, byte[] data)
    {
        _stream.Write(header);
        _stream.Write(data);
        _stream.Write(new byte[(512 - data.Length % 512) % 512]);
    }

    public static byte[] RawHeader(string name, byte type, long size) => Header(name, type, size);

    private static byte[] Header(string name, byte type, long size)
    {
        var h = new byte[512];
        System.Text.Encoding.ASCII.GetBytes(name).CopyTo(h, 0);
        Octal(h, 100, 8, 0x1a4);
        Octal(h, 108, 8, 0);
        Octal(h, 116, 8, 0);
        Octal(h, 124, 12, size);
        Octal(h, 136, 12, Time.ToUnixTimeSeconds());
        h[156] = type;
        "ustar\0"u8.CopyTo(h.AsSpan(257));
        "00"u8.CopyTo(h.AsSpan(263));
        h.AsSpan(148, 8).Fill((byte)' ');
        var sum = h.Sum(b => (long)b);
        var text = Convert.ToString(sum, 8).PadLeft(6, '0');
        System.Text.Encoding.ASCII.GetBytes(text).CopyTo(h, 148);
        h[154] = 0;
        h[155] = (byte)' ';
        return h;
    }

    private static void Octal(byte[] h, int offset, int length, long value) =>
        System.Text.Encoding.ASCII.GetBytes(Convert.ToString(value, 8).PadLeft(length - 1, '0')).CopyTo(h, offset);

    public LayerTar Add(TarEntry entry)
    {
        _writer.WriteEntry(entry);
        return this;
    }

    public byte[] Bytes()
    {
        _writer.Dispose();
        return _stream.ToArray();
    }

    public static byte[] Gzip(byte[] tar)
    {
        var output = new MemoryStream();
        using (var gz = new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true))
        {
            gz.Write(tar);
        }

        return output.ToArray();
    }

    public static byte[] Zstd(byte[] tar)
    {
        using var compressor = new ZstdSharp.Compressor();
        return compressor.Wrap(tar).ToArray();
    }
}
