using Berth.Errdefs;
using Berth.Linux.Interop;

namespace Berth.Linux.Files;

/// <summary>
/// An flock(2) on a file, held until disposed. flock belongs to the open file description, so it
/// excludes other processes and other opens in this one alike, and the kernel drops it when a
/// process dies: a crash never leaves a lock behind.
/// </summary>
public sealed class FileLock : IDisposable
{
    private const int LOCK_EX = 2;
    private const int LOCK_NB = 4;
    private const int EWOULDBLOCK = Errno.EAGAIN;
    private int _fd;

    private FileLock(int fd)
    {
        _fd = fd;
    }

    /// <summary>
    /// Waits for the exclusive lock without blocking a thread: a blocking flock on pool threads
    /// starves the holder of the threads its own awaits need. Polls with a growing delay instead.
    /// </summary>
    public static async Task<FileLock> AcquireAsync(string path, CancellationToken cancellationToken)
    {
        var delay = 1;
        while (true)
        {
            if (TryAcquire(path) is { } held)
                return held;
            await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
            delay = Math.Min(delay * 2, 50);
        }
    }

    /// <summary>Waits for the exclusive lock, blocking this thread (for single-threaded callers such as the CLI).</summary>
    public static FileLock Acquire(string path)
    {
        var delay = 1;
        while (true)
        {
            if (TryAcquire(path) is { } held)
                return held;
            Thread.Sleep(delay);
            delay = Math.Min(delay * 2, 20);
        }
    }

    /// <summary>
    /// Takes the lock without waiting; null when another holder has it. A holder may delete the
    /// lock file (a commit removes its ingest directory) while this call waits on the old inode,
    /// so after locking it checks the path still names the locked file, and starts over if not.
    /// NotFound when the lock file's directory does not exist.
    /// </summary>
    public static FileLock? TryAcquire(string path)
    {
        while (true)
        {
            var fd = Libc.open(path, Libc.O_RDWR | Libc.O_CREAT | Libc.O_CLOEXEC, 0b110_100_100);
            if (fd < 0)
                throw Errno.Last($"open `{path}`");
            while (Libc.flock(fd, LOCK_EX | LOCK_NB) != 0)
            {
                var errno = System.Runtime.InteropServices.Marshal.GetLastPInvokeError();
                if (errno == Errno.EINTR)
                    continue;
                Libc.close(fd);
                if (errno == EWOULDBLOCK)
                    return null;
                throw Errno.Exception($"lock `{path}`", errno);
            }
            if (SameFile(fd, path))
                return new FileLock(fd);
            Libc.close(fd);
        }
    }

    private static unsafe bool SameFile(int fd, string path)
    {
        Statx held, named;
        if (Libc.statx(fd, "", Libc.AT_EMPTY_PATH, Libc.STATX_BASIC_STATS, &held) != 0)
            throw Errno.Last($"stat `{path}`");
        if (Libc.statx(Libc.AT_FDCWD, path, 0, Libc.STATX_BASIC_STATS, &named) != 0)
        {
            var errno = System.Runtime.InteropServices.Marshal.GetLastPInvokeError();
            return errno == Errno.ENOENT ? false : throw Errno.Exception($"stat `{path}`", errno);
        }
        return held.Ino == named.Ino && held.DevMajor == named.DevMajor && held.DevMinor == named.DevMinor;
    }

    public void Dispose()
    {
        var fd = Interlocked.Exchange(ref _fd, -1);
        if (fd >= 0)
            Libc.close(fd);
    }
}
