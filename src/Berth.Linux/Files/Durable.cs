using Berth.Linux.Interop;
using Microsoft.Win32.SafeHandles;

namespace Berth.Linux.Files;

/// <summary>fsync for what .NET does not flush itself: a directory, so that a rename in it survives a crash.</summary>
public static class Durable
{
    public static void FsyncDirectory(string path)
    {
        var fd = Libc.open(path, Libc.O_RDONLY | Libc.O_DIRECTORY | Libc.O_CLOEXEC, 0);
        if (fd < 0)
            throw Errno.Last($"open `{path}`");
        using var handle = new SafeFileHandle(fd, ownsHandle: true);
        RandomAccess.FlushToDisk(handle);
    }

    /// <summary>Creates the directory if needed; when it was created, fsyncs its parent so the entry is durable.</summary>
    public static void EnsureDirectory(string path)
    {
        if (Directory.Exists(path))
            return;
        Directory.CreateDirectory(path);
        FsyncDirectory(Path.GetDirectoryName(Path.TrimEndingDirectorySeparator(path))!);
    }
}
