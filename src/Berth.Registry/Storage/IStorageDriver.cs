namespace Berth.Registry.Storage;

/// <summary>
/// The registry's narrow storage seam (distribution's <c>StorageDriver</c>): a tree of files named by
/// relative, <c>/</c>-separated paths such as <c>blobs/sha256/ab/abcd…</c>. It knows nothing of
/// blobs, manifests or repositories; <see cref="RegistryLayout"/> maps those onto paths.
/// <para>
/// Vocabulary: content is <b>put</b> whole and atomically (a reader sees the old file or the new one,
/// never a torn one, and the new one survives a crash once the call returns); an upload's data is
/// <b>appended</b> in place and only becomes content when <see cref="Move"/> renames it, atomically and
/// durably. Paths come from the layout, never from a client: a driver may assume they hold no
/// <c>..</c> and no empty segments. A missing path is not an error for reads: they return null/false.
/// </para>
/// </summary>
public interface IStorageDriver
{
    /// <summary>The whole file, or null when it does not exist. InvalidArgument when it is longer than <paramref name="maxBytes"/>.</summary>
    byte[]? GetContent(string path, int maxBytes);

    /// <summary>Writes the whole file atomically and durably (temp file, fsync, rename, fsync of the directory).</summary>
    void PutContent(string path, ReadOnlySpan<byte> content);

    /// <summary>The file's size and modification time, or null when there is no file there.</summary>
    FileStat? Stat(string path);

    /// <summary>Opens a file for reading from <paramref name="offset"/>; null when it does not exist.</summary>
    Stream? OpenRead(string path, long offset = 0);

    /// <summary>Opens (creating) a file for appending at its end; the caller disposes it, which flushes to the OS.</summary>
    Stream OpenAppend(string path);

    /// <summary>The names (not paths) of a directory's entries, sorted ordinally; empty when it does not exist.</summary>
    IReadOnlyList<string> List(string path);

    /// <summary>Renames a file into place atomically and durably, replacing what was there, creating parents.</summary>
    void Move(string source, string destination);

    /// <summary>Deletes a file or a whole directory; nothing happens when it does not exist.</summary>
    void Delete(string path);

    /// <summary>Sets a file's modification time to now (the garbage collector's "recently used" mark).</summary>
    void Touch(string path);

    /// <summary>The file's path on the local file system for zero-copy serving, or null when the driver has none.</summary>
    string? LocalPath(string path);
}

/// <summary>What <see cref="IStorageDriver.Stat"/> reports.</summary>
public readonly record struct FileStat(long Size, DateTime ModifiedUtc, bool IsDirectory);
