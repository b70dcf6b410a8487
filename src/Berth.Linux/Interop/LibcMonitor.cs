using System.Runtime.InteropServices;

namespace Berth.Linux.Interop;

/// <summary>
/// Bindings the per-container monitor needs on top of the rest of <see cref="Libc"/>: poll(2),
/// signalfd(2), the listening side of unix sockets, and fsync(2).
/// </summary>
public static unsafe partial class Libc
{
    public const short POLLIN = 0x001;
    public const short POLLOUT = 0x004;
    public const short POLLERR = 0x008;
    public const short POLLHUP = 0x010;
    public const short POLLNVAL = 0x020;

    public const int SFD_NONBLOCK = 0x800;
    public const int SFD_CLOEXEC = 0x80000;

    /// <summary>sizeof(struct signalfd_siginfo).</summary>
    public const int SignalfdSiginfoBytes = 128;

    public const int PR_SET_CHILD_SUBREAPER = 36;
    public const int PR_SET_PDEATHSIG = 1;

    public const int SIG_BLOCK = 0;
    public const int SIG_UNBLOCK = 1;
    public const int SIG_SETMASK = 2;

    public const int MSG_DONTWAIT = 0x40;
    public const int MSG_NOSIGNAL = 0x4000;
    public const int SHUT_RD = 0;
    public const int SHUT_WR = 1;
    public const int SHUT_RDWR = 2;
    public const int SO_SNDBUF = 7;
    public const int SO_RCVBUF = 8;
    public const int SO_SNDTIMEO = 21;

    public const int SOCK_NONBLOCK = 0x800;
    public const int ECONNREFUSED = 111;

    [LibraryImport(C, SetLastError = true)]
    public static partial int poll(PollFd* fds, nuint nfds, int timeout);

    /// <summary>glibc's signalfd; <paramref name="mask"/> points to a sigset_t (128 bytes, the kernel reads 8).</summary>
    [LibraryImport(C, SetLastError = true)]
    public static partial int signalfd(int fd, ulong* mask, int flags);

    [LibraryImport(C, SetLastError = true)]
    public static partial int bind(int fd, void* addr, uint len);

    [LibraryImport(C, SetLastError = true)]
    public static partial int listen(int fd, int backlog);

    [LibraryImport(C, SetLastError = true)]
    public static partial int accept4(int fd, void* addr, uint* len, int flags);

    [LibraryImport(C, SetLastError = true)]
    public static partial nint send(int fd, byte* buf, nuint len, int flags);

    [LibraryImport(C, SetLastError = true)]
    public static partial nint recv(int fd, byte* buf, nuint len, int flags);

    [LibraryImport(C, SetLastError = true)]
    public static partial int shutdown(int fd, int how);

    [LibraryImport(C, SetLastError = true)]
    public static partial int setsockopt(int fd, int level, int name, void* value, uint len);

    [LibraryImport(C, SetLastError = true)]
    public static partial int fsync(int fd);

    [LibraryImport(C, SetLastError = true)]
    public static partial int getppid();
}

/// <summary>struct pollfd.</summary>
[StructLayout(LayoutKind.Sequential)]
public struct PollFd
{
    public int Fd;
    public short Events;
    public short Revents;
}
