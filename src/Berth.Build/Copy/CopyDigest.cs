using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Berth.Errdefs;
using Berth.Oci;

namespace Berth.Build.Copy;

/// <summary>
/// The digest of everything a copy reads, encoded without ambiguity: strings are a big-endian
/// u64 byte length and UTF-8, numbers big-endian u32/u64. Per entry: its path below the item,
/// its type, permission bits, owner (only where the copy keeps owners), and the sha256 of a
/// file's bytes, a symlink's target, a hard link's partner or a device's numbers. Times,
/// inode numbers and the paths of the source directories on this machine are left out.
/// </summary>
internal sealed class CopyDigest : IDisposable
{
    public const string Version = "berth.copy.v1";

    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);

    public CopyDigest() => String(Version);

    public void String(string? value)
    {
        var bytes = Encoding.UTF8.GetBytes(value ?? "");
        U64((ulong)bytes.Length);
        _hash.AppendData(bytes);
    }

    public void Bool(bool value) => _hash.AppendData([value ? (byte)1 : (byte)0]);

    public void U32(uint value)
    {
        Span<byte> b = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(b, value);
        _hash.AppendData(b);
    }

    public void U64(ulong value)
    {
        Span<byte> b = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64BigEndian(b, value);
        _hash.AppendData(b);
    }

    public void Entry(PlanEntry entry, bool withOwner)
    {
        String(entry.RelativePath);
        _hash.AppendData([(byte)entry.Type, entry.OnlyIfMissing ? (byte)1 : (byte)0]);
        U32(entry.Stat.Type);
        U32(entry.Stat.Permissions);
        if (withOwner)
        {
            U32(entry.Stat.Uid);
            U32(entry.Stat.Gid);
        }
        switch (entry.Type)
        {
            case EntryType.File:
                _hash.AppendData(HashFile(entry.SourcePath, entry.RelativePath));
                break;
            case EntryType.Symlink:
            case EntryType.HardLink:
                String(entry.LinkTarget);
                break;
            case EntryType.Device:
                U32(entry.Stat.RdevMajor);
                U32(entry.Stat.RdevMinor);
                break;
        }
    }

    public void File(string path, string shown) => _hash.AppendData(HashFile(path, shown));

    public Digest Finish() => Digest.FromHash("sha256", _hash.GetHashAndReset());

    public void Dispose() => _hash.Dispose();

    public static byte[] HashFile(string path, string shown)
    {
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1 << 16);
            return SHA256.HashData(stream);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw BerthException.Wrap(e, $"read `{shown}`");
        }
    }
}
