using System.Runtime.InteropServices;
using Berth.Errdefs;

namespace Berth.Linux;

/// <summary>errno values Berth branches on, and the conversion of a failed call to an exception.</summary>
public static class Errno
{
    public const int EPERM = 1;
    public const int ENOENT = 2;
    public const int ESRCH = 3;
    public const int EINTR = 4;
    public const int EIO = 5;
    public const int EBADF = 9;
    public const int ECHILD = 10;
    public const int EAGAIN = 11;
    public const int ENOMEM = 12;
    public const int EACCES = 13;
    public const int EBUSY = 16;
    public const int EEXIST = 17;
    public const int ENOTDIR = 20;
    public const int EISDIR = 21;
    public const int EINVAL = 22;
    public const int ENOSPC = 28;
    public const int EROFS = 30;
    public const int EPIPE = 32;
    public const int ENOSYS = 38;
    public const int ENOTEMPTY = 39;
    public const int ELOOP = 40;
    public const int ENOTSUP = 95;

    /// <summary>The C library's text for an errno, lowercased as Go and runc print it.</summary>
    public static string Describe(int errno)
    {
        var text = Marshal.GetPInvokeErrorMessage(errno);
        return text.Length > 1 && char.IsUpper(text[0]) && !char.IsUpper(text[1])
            ? char.ToLowerInvariant(text[0]) + text[1..]
            : text;
    }

    public static ErrorKind KindOf(int errno) => errno switch
    {
        ENOENT or ESRCH => ErrorKind.NotFound,
        EEXIST => ErrorKind.AlreadyExists,
        EINVAL or ENOTDIR or EISDIR or ELOOP => ErrorKind.InvalidArgument,
        EPERM or EACCES or EROFS => ErrorKind.PermissionDenied,
        EBUSY or ENOTEMPTY => ErrorKind.FailedPrecondition,
        ENOSYS or ENOTSUP => ErrorKind.NotImplemented,
        EAGAIN => ErrorKind.Unavailable,
        _ => ErrorKind.Internal,
    };

    /// <summary>An exception for a failed call: "<paramref name="what"/>: cause", errno kept.</summary>
    public static BerthException Exception(string what, int errno) =>
        new(KindOf(errno), $"{what}: {Describe(errno)}") { Errno = errno };

    /// <summary>The exception for the calling thread's last P/Invoke error.</summary>
    public static BerthException Last(string what) => Exception(what, Marshal.GetLastPInvokeError());

    /// <summary>Throws <see cref="Last"/> when <paramref name="result"/> is negative; returns it otherwise.</summary>
    public static int Check(int result, string what) => result < 0 ? throw Last(what) : result;

    public static long Check(long result, string what) => result < 0 ? throw Last(what) : result;
}
