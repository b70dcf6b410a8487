using Berth.Errdefs;
using Berth.Linux.Interop;

namespace Berth.Linux.Tests;

public sealed class RlimitsTests
{
    [Theory]
    [InlineData("RLIMIT_CPU", 0)]
    [InlineData("RLIMIT_CORE", 4)]
    [InlineData("RLIMIT_NPROC", 6)]
    [InlineData("RLIMIT_NOFILE", 7)]
    [InlineData("RLIMIT_AS", 9)]
    [InlineData("RLIMIT_RTTIME", 15)]
    public void ResourceNumbers(string name, int expected) => Assert.Equal(expected, Rlimits.Resource(name));

    [Theory]
    [InlineData("NOFILE")]
    [InlineData("rlimit_nofile")]
    [InlineData("RLIMIT_FOO")]
    [InlineData("")]
    public void UnknownNamesAreInvalidArguments(string name)
    {
        var e = Assert.Throws<BerthException>(() => Rlimits.Resource(name));
        Assert.Equal(ErrorKind.InvalidArgument, e.Kind);
        Assert.Equal($"rlimit `{name}` is unknown", e.Message);
    }

    [Fact]
    public unsafe void SetToTheCurrentValuesSucceedsWithoutPrivilege()
    {
        RLimit current;
        Assert.Equal(0, Libc.prlimit(0, Rlimits.Resource("RLIMIT_NOFILE"), null, &current));
        Rlimits.Set(Environment.ProcessId, "RLIMIT_NOFILE", current.Cur, current.Max);
        RLimit after;
        Assert.Equal(0, Libc.prlimit(0, Rlimits.Resource("RLIMIT_NOFILE"), null, &after));
        Assert.Equal(current.Cur, after.Cur);
        Assert.Equal(current.Max, after.Max);
    }

    [Fact]
    public unsafe void SetFailureNamesTheLimit()
    {
        // soft above hard is EINVAL for everyone, root included.
        var e = Assert.Throws<BerthException>(() => Rlimits.Set(Environment.ProcessId, "RLIMIT_CORE", 2, 1));
        Assert.Equal(ErrorKind.InvalidArgument, e.Kind);
        Assert.Equal(Errno.EINVAL, e.Errno);
        Assert.StartsWith("set rlimit `RLIMIT_CORE` to 2:1: ", e.Message);
    }
}
