using Berth.Errdefs;
using static Berth.Linux.Interop.Libc;

namespace Berth.Linux.Tests;

public sealed class MountOptionsTests
{
    public static TheoryData<string, ulong> SettingOptions => new()
    {
        { "ro", MS_RDONLY }, { "nosuid", MS_NOSUID }, { "nodev", MS_NODEV }, { "noexec", MS_NOEXEC },
        { "sync", MS_SYNCHRONOUS }, { "dirsync", MS_DIRSYNC }, { "remount", MS_REMOUNT }, { "mand", MS_MANDLOCK },
        { "noatime", MS_NOATIME }, { "nodiratime", MS_NODIRATIME }, { "relatime", MS_RELATIME },
        { "strictatime", MS_STRICTATIME }, { "lazytime", MS_LAZYTIME }, { "nosymfollow", MS_NOSYMFOLLOW },
        { "silent", MS_SILENT },
    };

    public static TheoryData<string, ulong> ClearingOptions => new()
    {
        { "rw", MS_RDONLY }, { "suid", MS_NOSUID }, { "dev", MS_NODEV }, { "exec", MS_NOEXEC },
        { "async", MS_SYNCHRONOUS }, { "nomand", MS_MANDLOCK }, { "atime", MS_NOATIME }, { "diratime", MS_NODIRATIME },
        { "norelatime", MS_RELATIME }, { "nostrictatime", MS_STRICTATIME }, { "nolazytime", MS_LAZYTIME },
        { "symfollow", MS_NOSYMFOLLOW }, { "loud", MS_SILENT },
    };

    /// <summary>Each option that clears a flag, with the option that sets it.</summary>
    public static TheoryData<string, string, ulong> Negations => new()
    {
        { "ro", "rw", MS_RDONLY }, { "nosuid", "suid", MS_NOSUID }, { "nodev", "dev", MS_NODEV },
        { "noexec", "exec", MS_NOEXEC }, { "sync", "async", MS_SYNCHRONOUS }, { "mand", "nomand", MS_MANDLOCK },
        { "noatime", "atime", MS_NOATIME }, { "nodiratime", "diratime", MS_NODIRATIME },
        { "relatime", "norelatime", MS_RELATIME }, { "strictatime", "nostrictatime", MS_STRICTATIME },
        { "lazytime", "nolazytime", MS_LAZYTIME }, { "nosymfollow", "symfollow", MS_NOSYMFOLLOW },
        { "silent", "loud", MS_SILENT },
    };

    [Theory]
    [MemberData(nameof(SettingOptions))]
    public void SettingOptionSetsItsFlag(string option, ulong flag)
    {
        var parsed = MountOptions.Parse([option]);
        Assert.Equal(flag, parsed.Flags);
        Assert.Equal(0UL, parsed.ClearedFlags);
        Assert.Equal(0UL, parsed.Propagation);
        Assert.Equal("", parsed.Data);
        Assert.False(parsed.Bind);
        Assert.False(parsed.Recursive);
    }

    [Theory]
    [MemberData(nameof(ClearingOptions))]
    public void ClearingOptionRecordsTheClearedFlag(string option, ulong flag)
    {
        var parsed = MountOptions.Parse([option]);
        Assert.Equal(0UL, parsed.Flags);
        Assert.Equal(flag, parsed.ClearedFlags);
        Assert.Equal("", parsed.Data);
    }

    [Theory]
    [MemberData(nameof(Negations))]
    public void TheLastOfAnOptionAndItsNegationWins(string set, string clear, ulong flag)
    {
        var cleared = MountOptions.Parse([set, clear]);
        Assert.Equal(0UL, cleared.Flags & flag);
        Assert.Equal(flag, cleared.ClearedFlags);

        var setAgain = MountOptions.Parse([clear, set]);
        Assert.Equal(flag, setAgain.Flags);
        Assert.Equal(0UL, setAgain.ClearedFlags & flag);
    }

    [Fact]
    public void EveryFlagOptionIsCovered()
    {
        var tested = SettingOptions.Select(r => (string)r[0]).Concat(ClearingOptions.Select(r => (string)r[0]));
        var propagation = new[] { "private", "rprivate", "shared", "rshared", "slave", "rslave", "unbindable", "runbindable" };
        var other = new[] { "bind", "rbind", "tmpcopyup", "idmap", "ridmap" };
        Assert.Equal(
            MountOptions.KnownOptions.Order(StringComparer.Ordinal),
            tested.Concat(propagation).Concat(other).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void FlagsAccumulate()
    {
        var parsed = MountOptions.Parse(["nosuid", "noexec", "nodev", "ro"]);
        Assert.Equal(MS_NOSUID | MS_NOEXEC | MS_NODEV | MS_RDONLY, parsed.Flags);
    }

    [Theory]
    [InlineData("private", MS_PRIVATE)]
    [InlineData("rprivate", MS_PRIVATE | MS_REC)]
    [InlineData("shared", MS_SHARED)]
    [InlineData("rshared", MS_SHARED | MS_REC)]
    [InlineData("slave", MS_SLAVE)]
    [InlineData("rslave", MS_SLAVE | MS_REC)]
    [InlineData("unbindable", MS_UNBINDABLE)]
    [InlineData("runbindable", MS_UNBINDABLE | MS_REC)]
    public void PropagationIsKeptApartFromTheMountFlags(string option, ulong propagation)
    {
        var parsed = MountOptions.Parse(["nosuid", option]);
        Assert.Equal(propagation, parsed.Propagation);
        Assert.Equal(MS_NOSUID, parsed.Flags);
        Assert.False(parsed.Recursive);
        Assert.Equal("", parsed.Data);
    }

    [Fact]
    public void BindIsNotRecursive()
    {
        var parsed = MountOptions.Parse(["bind", "ro"]);
        Assert.True(parsed.Bind);
        Assert.False(parsed.Recursive);
        Assert.Equal(MS_BIND | MS_RDONLY, parsed.Flags);
    }

    [Fact]
    public void RbindIsRecursive()
    {
        var parsed = MountOptions.Parse(["rbind"]);
        Assert.True(parsed.Bind);
        Assert.True(parsed.Recursive);
        Assert.Equal(MS_BIND | MS_REC, parsed.Flags);
    }

    [Fact]
    public void TypeBindMeansBindWithoutTheOption()
    {
        var parsed = MountOptions.Parse(["nosuid"], "bind");
        Assert.True(parsed.Bind);
        Assert.False(parsed.Recursive);
        Assert.Equal(MS_BIND | MS_NOSUID, parsed.Flags);

        var recursive = MountOptions.Parse(["rbind"], "bind");
        Assert.Equal(MS_BIND | MS_REC, recursive.Flags);
    }

    [Fact]
    public void OtherTypesAreNotBinds()
    {
        var parsed = MountOptions.Parse(["nosuid"], "tmpfs");
        Assert.False(parsed.Bind);
        Assert.Equal(0UL, parsed.Flags & MS_BIND);
    }

    [Fact]
    public void DataOptionsAreKeptInOrder()
    {
        var parsed = MountOptions.Parse(["nosuid", "mode=755", "strictatime", "size=65536k", "uid=0", "gid=5", "newinstance"]);
        Assert.Equal("mode=755,size=65536k,uid=0,gid=5,newinstance", parsed.Data);
        Assert.Equal(MS_NOSUID | MS_STRICTATIME, parsed.Flags);
    }

    [Fact]
    public void EmptyOptionsAreIgnored()
    {
        var parsed = MountOptions.Parse(["", "mode=755", ""]);
        Assert.Equal("mode=755", parsed.Data);
    }

    [Fact]
    public void NoOptionsIsNothing()
    {
        Assert.Equal(new MountOptions(0, 0, 0, "", false, false), MountOptions.Parse(null));
        Assert.Equal(new MountOptions(0, 0, 0, "", false, false), MountOptions.Parse([]));
    }

    [Theory]
    [InlineData("tmpcopyup")]
    [InlineData("idmap")]
    [InlineData("ridmap")]
    public void UnsupportedOptionsAreRejected(string option)
    {
        var e = Assert.Throws<BerthException>(() => MountOptions.Parse(["bind", option]));
        Assert.Equal(ErrorKind.InvalidArgument, e.Kind);
        Assert.Contains($"`{option}`", e.Message);
        Assert.Contains("not supported", e.Message);
    }

    /// <summary>
    /// runc's recursive mount attributes (mount_setattr with AT_RECURSIVE). Berth does not
    /// implement them; passed on as filesystem data they would be ignored on a bind mount and
    /// "rro" would silently leave the mount writable, so they must be refused.
    /// </summary>
    [Theory]
    [InlineData("rro")]
    [InlineData("rrw")]
    [InlineData("rnosuid")]
    [InlineData("rsuid")]
    [InlineData("rnodev")]
    [InlineData("rdev")]
    [InlineData("rnoexec")]
    [InlineData("rexec")]
    [InlineData("rnoatime")]
    [InlineData("ratime")]
    [InlineData("rrelatime")]
    [InlineData("rnorelatime")]
    [InlineData("rstrictatime")]
    [InlineData("rnostrictatime")]
    [InlineData("rnodiratime")]
    [InlineData("rdiratime")]
    [InlineData("rnosymfollow")]
    [InlineData("rsymfollow")]
    public void RecursiveMountAttributesAreRejectedNotIgnored(string option)
    {
        var e = Assert.Throws<BerthException>(() => MountOptions.Parse(["rbind", option], "bind"));
        Assert.Equal(ErrorKind.InvalidArgument, e.Kind);
        Assert.Contains($"`{option}`", e.Message);
    }

    [Fact]
    public void OptionsThatLookRecursiveButAreFlagsStillWork()
    {
        // rw, relatime and the r-propagations begin with 'r' and are options of their own.
        var parsed = MountOptions.Parse(["ro", "rw", "relatime", "rprivate", "rbind"]);
        Assert.Equal(MS_RELATIME | MS_BIND | MS_REC, parsed.Flags);
        Assert.Equal(MS_RDONLY, parsed.ClearedFlags);
        Assert.Equal(MS_PRIVATE | MS_REC, parsed.Propagation);
    }
}
