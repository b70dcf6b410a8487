using Berth.Errdefs;

namespace Berth.Linux.Tests;

public sealed class ErrnoTests
{
    [Theory]
    [InlineData(Errno.ENOENT, "no such file or directory")]
    [InlineData(Errno.EPERM, "operation not permitted")]
    [InlineData(Errno.EACCES, "permission denied")]
    [InlineData(Errno.EEXIST, "file exists")]
    [InlineData(Errno.EINVAL, "invalid argument")]
    [InlineData(Errno.ELOOP, "too many levels of symbolic links")]
    [InlineData(Errno.EBUSY, "device or resource busy")]
    public void DescribeIsTheCLibraryTextLowercased(int errno, string expected) => Assert.Equal(expected, Errno.Describe(errno));

    [Fact]
    public void DescribeLowersOnlyAnOrdinaryFirstWord()
    {
        Assert.Equal("input/output error", Errno.Describe(Errno.EIO));
        Assert.Equal("remote I/O error", Errno.Describe(121)); // EREMOTEIO
        // EDOTDOT (73) is "RFS specific error" in glibc: an acronym stays as it is.
        Assert.Equal("RFS specific error", Errno.Describe(73));
    }

    [Fact]
    public void DescribeNeverThrows()
    {
        for (var e = 0; e < 200; e++)
            Assert.False(string.IsNullOrEmpty(Errno.Describe(e)));
    }

    [Theory]
    [InlineData(Errno.ENOENT, ErrorKind.NotFound)]
    [InlineData(Errno.ESRCH, ErrorKind.NotFound)]
    [InlineData(Errno.EEXIST, ErrorKind.AlreadyExists)]
    [InlineData(Errno.EINVAL, ErrorKind.InvalidArgument)]
    [InlineData(Errno.ELOOP, ErrorKind.InvalidArgument)]
    [InlineData(Errno.ENOTDIR, ErrorKind.InvalidArgument)]
    [InlineData(Errno.EPERM, ErrorKind.PermissionDenied)]
    [InlineData(Errno.EACCES, ErrorKind.PermissionDenied)]
    [InlineData(Errno.EROFS, ErrorKind.PermissionDenied)]
    [InlineData(Errno.EBUSY, ErrorKind.FailedPrecondition)]
    [InlineData(Errno.ENOSYS, ErrorKind.NotImplemented)]
    [InlineData(Errno.EAGAIN, ErrorKind.Unavailable)]
    [InlineData(Errno.EIO, ErrorKind.Internal)]
    public void KindOf(int errno, ErrorKind kind) => Assert.Equal(kind, Errno.KindOf(errno));

    [Fact]
    public void ExceptionNamesTheCallAndKeepsTheErrno()
    {
        var e = Errno.Exception("mount `proc` to `/proc`", Errno.EPERM);
        Assert.Equal("mount `proc` to `/proc`: operation not permitted", e.Message);
        Assert.Equal(Errno.EPERM, e.Errno);
        Assert.Equal(ErrorKind.PermissionDenied, e.Kind);
        var wrapped = e.Wrap("create container `web`");
        Assert.Equal("create container `web`: mount `proc` to `/proc`: operation not permitted", wrapped.Message);
        Assert.Equal(Errno.EPERM, wrapped.Errno);
    }

    [Fact]
    public void LastReadsTheErrnoOfTheFailedCall()
    {
        Assert.Equal(-1, Interop.Libc.open("/nonexistent/berth-test", Interop.Libc.O_RDONLY, 0));
        var e = Errno.Last("open `/nonexistent/berth-test`");
        Assert.Equal(Errno.ENOENT, e.Errno);
        Assert.Equal(ErrorKind.NotFound, e.Kind);
    }

    [Fact]
    public void CheckPassesSuccessAndThrowsOnFailure()
    {
        Assert.Equal(5, Errno.Check(5, "x"));
        Assert.Equal(5L, Errno.Check(5L, "x"));
        Assert.Equal(-1, Interop.Libc.close(-1));
        var e = Assert.Throws<BerthException>(() => Errno.Check(-1, "close"));
        Assert.Equal(Errno.EBADF, e.Errno);
        Assert.Equal("close: bad file descriptor", e.Message);
    }
}
