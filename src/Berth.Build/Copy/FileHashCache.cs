using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Berth.Linux.Interop;

namespace Berth.Build.Copy;

/// <summary>
/// The sha256 of files' contents, remembered on disk by what identifies a version of a file: its
/// path, device, inode, size, and modification and change times to the nanosecond (a write
/// always moves the change time, which no one can set back). A file whose times are within two
/// seconds of now is hashed but not remembered, since a write in the same clock tick would not
/// move them (git's "racy" rule). Entries are 32-byte files named by the sha256 of that identity;
/// anything else found there is ignored. It is a cache: losing it costs a re-read, never a wrong
/// digest.
/// </summary>
public sealed class FileHashCache
{
    private static readonly TimeSpan Racy = TimeSpan.FromSeconds(2);

    public FileHashCache(string root)
    {
        Root = Path.GetFullPath(root);
    }

    public string Root { get; }

    public byte[] Hash(string path, string shown)
    {
        if (!TryIdentity(path, out var identity, out var newest))
            return CopyDigest.HashFile(path, shown);
        var entry = Path.Combine(Root, Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(identity))));
        try
        {
            var known = File.ReadAllBytes(entry);
            if (known.Length == 32)
                return known;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // not known yet
        }
        var hash = CopyDigest.HashFile(path, shown);
        if (TryIdentity(path, out var after, out _) && after == identity && DateTimeOffset.UtcNow - newest > Racy)
            Remember(entry, hash);
        return hash;
    }

    private void Remember(string entry, byte[] hash)
    {
        var temp = entry + ".tmp-" + Environment.ProcessId + "-" + Environment.CurrentManagedThreadId;
        try
        {
            Directory.CreateDirectory(Root);
            File.WriteAllBytes(temp, hash);
            File.Move(temp, entry, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            try
            {
                File.Delete(temp);
            }
            catch (Exception f) when (f is IOException or UnauthorizedAccessException)
            {
                // a cache: best effort
            }
        }
    }

    private static unsafe bool TryIdentity(string path, out string identity, out DateTimeOffset newest)
    {
        Statx st;
        if (Libc.statx(Libc.AT_FDCWD, path, 0, Libc.STATX_BASIC_STATS, &st) != 0)
        {
            identity = "";
            newest = default;
            return false;
        }
        identity = string.Create(CultureInfo.InvariantCulture,
            $"{path}\0{st.DevMajor}:{st.DevMinor}\0{st.Ino}\0{st.Size}\0{st.MtimeSec}.{st.MtimeNsec}\0{st.CtimeSec}.{st.CtimeNsec}");
        newest = DateTimeOffset.FromUnixTimeSeconds(Math.Max(st.MtimeSec, st.CtimeSec));
        return true;
    }
}
