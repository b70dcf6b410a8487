using Berth.Linux.Interop;

namespace Berth.Linux.Files;

/// <summary>
/// A shared or exclusive flock(2) on a lock file that is never deleted, held until disposed: many
/// shared holders at once, or one exclusive holder, across processes. Each acquisition opens its own
/// descriptor (flock belongs to the open file description). Waiting polls with a growing delay, as
/// <see cref="FileLock"/> does, so no pool thread blocks in the kernel.
/// </summary>
public sealed class ReadWriteFileLock : IDisposable
{
    private const int LOCK_SH = 1;
    private const int LOCK_EX = 2;
    private const int LOCK_NB = 4;
    private int _fd;

    private ReadWriteFileLock(int fd)
    {
        _fd = fd;
    }

    public static async Task<ReadWriteFileLock> AcquireAsync(string path, bool exclusive, CancellationToken cancellationToken)
    {
        var delay = 1;
        while (true)
        {
            if (TryAcquire(path, exclusive) is { } held)
                return held;
            await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
            delay = Math.Min(delay * 2, 20);
        }
    }

    /// <summary>Takes the lock without waiting; null when a conflicting holder has it.</summary>
    public static ReadWriteFileLock? TryAcquire(string path, bool exclusive)
    {
        var fd = Libc.open(path, Libc.O_RDWR | Libc.O_CREAT | Libc.O_CLOEXEC, 0b110_100_100);
        if (fd < 0)
            throw Errno.Last($"open `{path}`");
        while (Libc.flock(fd, (exclusive ? LOCK_EX : LOCK_SH) | LOCK_NB) != 0)
        {
            var errno = System.Runtime.InteropServices.Marshal.GetLastPInvokeError();
            if (errno == Errno.EINTR)
                continue;
            Libc.close(fd);
            if (errno == Errno.EAGAIN)
                return null;
            throw Errno.Exception($"lock `{path}`", errno);
        }
        return new ReadWriteFileLock(fd);
    }

    public void Dispose()
    {
        var fd = Interlocked.Exchange(ref _fd, -1);
        if (fd >= 0)
            Libc.close(fd);
    }
}
