using Berth.Linux;
using Berth.Linux.Interop;

namespace Berth.Runtime.State;

/// <summary>An flock(2) on a directory, held until disposed; two commands on one container queue up.</summary>
internal sealed class FileLock : IDisposable
{
    private const int LOCK_EX = 2;
    private int _fd;

    private FileLock(int fd)
    {
        _fd = fd;
    }

    public static FileLock Acquire(string dir)
    {
        var fd = Libc.open(dir, Libc.O_RDONLY | Libc.O_DIRECTORY | Libc.O_CLOEXEC, 0);
        if (fd < 0)
            throw Errno.Last($"open `{dir}`");
        if (Libc.flock(fd, LOCK_EX) != 0)
        {
            var e = Errno.Last($"lock `{dir}`");
            Libc.close(fd);
            throw e;
        }
        return new FileLock(fd);
    }

    public void Dispose()
    {
        var fd = Interlocked.Exchange(ref _fd, -1);
        if (fd >= 0)
            Libc.close(fd);
    }
}
