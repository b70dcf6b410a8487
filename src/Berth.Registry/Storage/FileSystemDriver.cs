using Berth.Errdefs;
using Berth.Linux.Files;

namespace Berth.Registry.Storage;

/// <summary>
/// <see cref="IStorageDriver"/> on a local directory. Atomic puts and moves are a rename within one
/// file system, made durable by fsyncing the file before and its directory after.
/// </summary>
public sealed class FileSystemDriver : IStorageDriver
{
    private readonly string _root;

    public FileSystemDriver(string root)
    {
        _root = Path.GetFullPath(root);
        Directory.CreateDirectory(_root);
    }

    public string Root => _root;

    private string Full(string path) => Path.Join(_root, path);

    public byte[]? GetContent(string path, int maxBytes)
    {
        try
        {
            using var handle = File.OpenHandle(Full(path));
            var length = RandomAccess.GetLength(handle);
            if (length > maxBytes)
                throw BerthException.InvalidArgument($"read `{path}`: {length} bytes is over the limit of {maxBytes}");
            var buffer = new byte[length];
            var read = 0;
            while (read < buffer.Length)
            {
                var n = RandomAccess.Read(handle, buffer.AsSpan(read), read);
                if (n == 0)
                    return buffer[..read];
                read += n;
            }
            return buffer;
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
    }

    public void PutContent(string path, ReadOnlySpan<byte> content)
    {
        var full = Full(path);
        var directory = Path.GetDirectoryName(full)!;
        Directory.CreateDirectory(directory);
        var temp = Path.Join(directory, "." + Path.GetFileName(full) + "." + Guid.NewGuid().ToString("N") + ".tmp");
        try
        {
            using (var handle = File.OpenHandle(temp, FileMode.CreateNew, FileAccess.Write))
            {
                RandomAccess.Write(handle, content, 0);
                RandomAccess.FlushToDisk(handle);
            }
            File.Move(temp, full, overwrite: true);
        }
        catch
        {
            File.Delete(temp);
            throw;
        }
        SyncDirectory(directory);
    }

    public FileStat? Stat(string path)
    {
        var full = Full(path);
        var file = new FileInfo(full);
        if (file.Exists)
            return new FileStat(file.Length, file.LastWriteTimeUtc, false);
        var directory = new DirectoryInfo(full);
        return directory.Exists ? new FileStat(0, directory.LastWriteTimeUtc, true) : null;
    }

    public Stream? OpenRead(string path, long offset = 0)
    {
        try
        {
            var stream = new FileStream(Full(path), FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1, FileOptions.SequentialScan);
            stream.Position = offset;
            return stream;
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
    }

    public Stream OpenAppend(string path)
    {
        var full = Full(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        return new FileStream(full, FileMode.Append, FileAccess.Write, FileShare.Read, 1);
    }

    public IReadOnlyList<string> List(string path)
    {
        var full = Full(path);
        if (!Directory.Exists(full))
            return [];
        var names = new List<string>();
        foreach (var entry in Directory.EnumerateFileSystemEntries(full))
        {
            var name = Path.GetFileName(entry);
            if (!name.StartsWith('.'))
                names.Add(name);
        }
        names.Sort(StringComparer.Ordinal);
        return names;
    }

    public void Move(string source, string destination)
    {
        var from = Full(source);
        var to = Full(destination);
        using (var handle = File.OpenHandle(from, FileMode.Open, FileAccess.ReadWrite))
            RandomAccess.FlushToDisk(handle);
        var directory = Path.GetDirectoryName(to)!;
        Directory.CreateDirectory(directory);
        File.Move(from, to, overwrite: true);
        SyncDirectory(directory);
    }

    public void Delete(string path)
    {
        var full = Full(path);
        if (File.Exists(full))
        {
            File.Delete(full);
            return;
        }
        try
        {
            Directory.Delete(full, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
        }
    }

    public void Touch(string path)
    {
        try
        {
            File.SetLastWriteTimeUtc(Full(path), DateTime.UtcNow);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
        }
    }

    public string? LocalPath(string path) => Full(path);

    private static void SyncDirectory(string directory) => Durable.FsyncDirectory(directory);
}
