using Berth.Errdefs;

namespace Berth.Linux.Tests;

public sealed class NamespaceFlagsTests
{
    [Theory]
    [InlineData("pid", NamespaceFlags.CLONE_NEWPID, "pid")]
    [InlineData("network", NamespaceFlags.CLONE_NEWNET, "net")]
    [InlineData("mount", NamespaceFlags.CLONE_NEWNS, "mnt")]
    [InlineData("ipc", NamespaceFlags.CLONE_NEWIPC, "ipc")]
    [InlineData("uts", NamespaceFlags.CLONE_NEWUTS, "uts")]
    [InlineData("user", NamespaceFlags.CLONE_NEWUSER, "user")]
    [InlineData("cgroup", NamespaceFlags.CLONE_NEWCGROUP, "cgroup")]
    [InlineData("time", NamespaceFlags.CLONE_NEWTIME, "time")]
    public void FlagAndProcFileOfEachOciType(string type, int flag, string procName)
    {
        Assert.Equal(flag, NamespaceFlags.Of(type));
        Assert.Equal(procName, NamespaceFlags.ProcName(type));
        if (Directory.Exists("/proc/self/ns"))
            Assert.True(File.Exists($"/proc/self/ns/{procName}") || type == "time", $"/proc/self/ns/{procName}");
    }

    [Theory]
    [InlineData("net")]
    [InlineData("mnt")]
    [InlineData("PID")]
    [InlineData("")]
    public void UnknownTypesAreInvalidArguments(string type)
    {
        var e = Assert.Throws<BerthException>(() => NamespaceFlags.Of(type));
        Assert.Equal(ErrorKind.InvalidArgument, e.Kind);
    }
}
