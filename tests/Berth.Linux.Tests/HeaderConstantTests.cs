using System.Reflection;
using Berth.Linux.Interop;
using Berth.Linux.Tests.Support;

namespace Berth.Linux.Tests;

/// <summary>
/// Every number Berth.Linux hands the kernel or the C library, checked against the C headers
/// of this machine by compiling a program that prints them.
/// </summary>
public sealed class HeaderConstantTests
{
    [GccFact]
    public void MountFlagsMatchSysMount()
    {
        AssertMatches("#include <sys/mount.h>", new Dictionary<string, long>
        {
            ["MS_RDONLY"] = (long)Libc.MS_RDONLY,
            ["MS_NOSUID"] = (long)Libc.MS_NOSUID,
            ["MS_NODEV"] = (long)Libc.MS_NODEV,
            ["MS_NOEXEC"] = (long)Libc.MS_NOEXEC,
            ["MS_SYNCHRONOUS"] = (long)Libc.MS_SYNCHRONOUS,
            ["MS_REMOUNT"] = (long)Libc.MS_REMOUNT,
            ["MS_MANDLOCK"] = (long)Libc.MS_MANDLOCK,
            ["MS_DIRSYNC"] = (long)Libc.MS_DIRSYNC,
            ["MS_NOSYMFOLLOW"] = (long)Libc.MS_NOSYMFOLLOW,
            ["MS_NOATIME"] = (long)Libc.MS_NOATIME,
            ["MS_NODIRATIME"] = (long)Libc.MS_NODIRATIME,
            ["MS_BIND"] = (long)Libc.MS_BIND,
            ["MS_MOVE"] = (long)Libc.MS_MOVE,
            ["MS_REC"] = (long)Libc.MS_REC,
            ["MS_SILENT"] = (long)Libc.MS_SILENT,
            ["MS_UNBINDABLE"] = (long)Libc.MS_UNBINDABLE,
            ["MS_PRIVATE"] = (long)Libc.MS_PRIVATE,
            ["MS_SLAVE"] = (long)Libc.MS_SLAVE,
            ["MS_SHARED"] = (long)Libc.MS_SHARED,
            ["MS_RELATIME"] = (long)Libc.MS_RELATIME,
            ["MS_STRICTATIME"] = (long)Libc.MS_STRICTATIME,
            ["MS_LAZYTIME"] = (long)Libc.MS_LAZYTIME,
            ["MNT_DETACH"] = Libc.MNT_DETACH,
        });
    }

    [GccFact]
    public void FileFlagsMatchFcntl()
    {
        AssertMatches("#include <fcntl.h>", new Dictionary<string, long>
        {
            ["O_RDONLY"] = Libc.O_RDONLY,
            ["O_WRONLY"] = Libc.O_WRONLY,
            ["O_RDWR"] = Libc.O_RDWR,
            ["O_CREAT"] = Libc.O_CREAT,
            ["O_EXCL"] = Libc.O_EXCL,
            ["O_NOCTTY"] = Libc.O_NOCTTY,
            ["O_TRUNC"] = Libc.O_TRUNC,
            ["O_NONBLOCK"] = Libc.O_NONBLOCK,
            ["O_DIRECTORY"] = Libc.O_DIRECTORY,
            ["O_NOFOLLOW"] = Libc.O_NOFOLLOW,
            ["O_CLOEXEC"] = Libc.O_CLOEXEC,
            ["O_PATH"] = Libc.O_PATH,
            ["AT_FDCWD"] = Libc.AT_FDCWD,
            ["AT_SYMLINK_NOFOLLOW"] = Libc.AT_SYMLINK_NOFOLLOW,
            ["AT_EMPTY_PATH"] = Libc.AT_EMPTY_PATH,
            ["F_GETFD"] = Libc.F_GETFD,
            ["F_SETFD"] = Libc.F_SETFD,
            ["FD_CLOEXEC"] = Libc.FD_CLOEXEC,
        });
    }

    [GccFact]
    public void CloneFlagsMatchSched()
    {
        AssertMatches("#include <sched.h>\n#include <linux/sched.h>", new Dictionary<string, long>
        {
            ["CLONE_FS"] = NamespaceFlags.CLONE_FS,
            ["CLONE_NEWTIME"] = NamespaceFlags.CLONE_NEWTIME,
            ["CLONE_NEWNS"] = NamespaceFlags.CLONE_NEWNS,
            ["CLONE_NEWCGROUP"] = NamespaceFlags.CLONE_NEWCGROUP,
            ["CLONE_NEWUTS"] = NamespaceFlags.CLONE_NEWUTS,
            ["CLONE_NEWIPC"] = NamespaceFlags.CLONE_NEWIPC,
            ["CLONE_NEWUSER"] = NamespaceFlags.CLONE_NEWUSER,
            ["CLONE_NEWPID"] = NamespaceFlags.CLONE_NEWPID,
            ["CLONE_NEWNET"] = NamespaceFlags.CLONE_NEWNET,
        });
    }

    [GccFact]
    public void RlimitNamesAreInResourceNumberOrder()
    {
        var ours = new Dictionary<string, long>();
        foreach (var name in Rlimits.Names)
            ours[name] = Rlimits.Resource(name);
        ours["RLIMIT_NLIMITS"] = Rlimits.Names.Count;
        AssertMatches("#include <sys/resource.h>", ours);
    }

    [GccFact]
    public void RlimitStructMatchesC()
    {
        AssertMatches("#include <sys/resource.h>", new Dictionary<string, long>
        {
            ["sizeof(struct rlimit)"] = System.Runtime.CompilerServices.Unsafe.SizeOf<RLimit>(),
            ["offsetof(struct rlimit, rlim_cur)"] = Offset<RLimit>(nameof(RLimit.Cur)),
            ["offsetof(struct rlimit, rlim_max)"] = Offset<RLimit>(nameof(RLimit.Max)),
        });
    }

    [GccFact]
    public void CapabilityNamesAreInCapabilityNumberOrder()
    {
        var ours = new Dictionary<string, long>();
        for (var i = 0; i < Capabilities.Names.Count; i++)
            ours[Capabilities.Names[i]] = i;
        ours["CAP_LAST_CAP"] = Capabilities.Names.Count - 1;
        ours["_LINUX_CAPABILITY_VERSION_3"] = Private<uint>(typeof(Capabilities), "LINUX_CAPABILITY_VERSION_3")!.Value;
        ours["_LINUX_CAPABILITY_U32S_3"] = 2;
        ours["sizeof(struct __user_cap_header_struct)"] = 2 * sizeof(uint);
        ours["sizeof(struct __user_cap_data_struct)"] = 3 * sizeof(uint);
        AssertMatches("#include <linux/capability.h>", ours);
    }

    [GccFact]
    public void PrctlOptionsMatchPrctlHeader()
    {
        AssertMatches("#include <sys/prctl.h>", new Dictionary<string, long>
        {
            ["PR_CAPBSET_READ"] = Private<int>(typeof(Capabilities), "PR_CAPBSET_READ")!.Value,
            ["PR_CAPBSET_DROP"] = Private<int>(typeof(Capabilities), "PR_CAPBSET_DROP")!.Value,
            ["PR_CAP_AMBIENT"] = Private<int>(typeof(Capabilities), "PR_CAP_AMBIENT")!.Value,
            ["PR_CAP_AMBIENT_RAISE"] = Private<int>(typeof(Capabilities), "PR_CAP_AMBIENT_RAISE")!.Value,
            ["PR_CAP_AMBIENT_CLEAR_ALL"] = Private<int>(typeof(Capabilities), "PR_CAP_AMBIENT_CLEAR_ALL")!.Value,
        });
    }

    [GccFact]
    public void ErrnoValuesMatchErrnoH()
    {
        var ours = typeof(Errno).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral && f.FieldType == typeof(int))
            .ToDictionary(f => f.Name, f => (long)(int)f.GetRawConstantValue()!);
        Assert.True(ours.Count > 20);
        AssertMatches("#include <errno.h>", ours);
    }

    [GccFact]
    public void SignalNumbersMatchSignalH()
    {
        var ours = typeof(Signals).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral && f.FieldType == typeof(int))
            .ToDictionary(f => f.Name, f => (long)(int)f.GetRawConstantValue()!);
        ours["SIGRTMIN"] = Signals.Parse("RTMIN");
        ours["SIGRTMAX"] = Signals.Parse("RTMAX");
        ours["SIGIOT"] = Signals.Parse("IOT");
        ours["SIGPOLL"] = Signals.Parse("POLL");
        ours["SIG_SETMASK"] = Private<int>(typeof(Exec), "SIG_SETMASK")!.Value;
        ours["WNOHANG"] = Private<int>(typeof(Children), "WNOHANG")!.Value;
        AssertMatches("#include <signal.h>\n#include <sys/wait.h>", ours);
    }

    [GccFact]
    public void SignalNamesMatchTheCLibrary()
    {
        // sigabbrev_np (glibc 2.32) gives the abbreviation without "SIG".
        var output = Gcc.CompileAndRun("""
            #define _GNU_SOURCE 1
            #include <stdio.h>
            #include <string.h>
            #include <signal.h>
            int main(void) { for (int i = 1; i < 32; i++) { const char *n = sigabbrev_np(i); printf("%d=%s\n", i, n ? n : ""); } return 0; }
            """);
        foreach (var line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = line.Split('=');
            var number = int.Parse(parts[0]);
            if (parts[1].Length == 0)
                continue;
            Assert.Equal(number, Signals.Parse(parts[1]));
            Assert.Equal(number, Signals.Parse("SIG" + parts[1]));
            // Aliases (glibc says POLL for 29, kill(1) and Go say IO) must at least round-trip.
            if (Signals.Name(number) != "SIG" + parts[1])
                Assert.Equal(number, Signals.Parse(Signals.Name(number)));
        }
    }

    [GccFact]
    public void SocketConstantsMatchSysSocket()
    {
        AssertMatches("#include <sys/socket.h>", new Dictionary<string, long>
        {
            ["AF_UNIX"] = Libc.AF_UNIX,
            ["SOCK_STREAM"] = Libc.SOCK_STREAM,
            ["SOCK_SEQPACKET"] = Libc.SOCK_SEQPACKET,
            ["SOCK_CLOEXEC"] = Libc.SOCK_CLOEXEC,
            ["SOL_SOCKET"] = Libc.SOL_SOCKET,
            ["SCM_RIGHTS"] = Libc.SCM_RIGHTS,
        });
    }

    [GccFact]
    public unsafe void SocketStructsMatchC()
    {
        AssertMatches("#include <sys/socket.h>\n#include <sys/uio.h>", new Dictionary<string, long>
        {
            ["sizeof(struct msghdr)"] = sizeof(MsgHdr),
            ["offsetof(struct msghdr, msg_name)"] = Offset<MsgHdr>(nameof(MsgHdr.Name)),
            ["offsetof(struct msghdr, msg_namelen)"] = Offset<MsgHdr>(nameof(MsgHdr.NameLen)),
            ["offsetof(struct msghdr, msg_iov)"] = Offset<MsgHdr>(nameof(MsgHdr.Iov)),
            ["offsetof(struct msghdr, msg_iovlen)"] = Offset<MsgHdr>(nameof(MsgHdr.IovLen)),
            ["offsetof(struct msghdr, msg_control)"] = Offset<MsgHdr>(nameof(MsgHdr.Control)),
            ["offsetof(struct msghdr, msg_controllen)"] = Offset<MsgHdr>(nameof(MsgHdr.ControlLen)),
            ["offsetof(struct msghdr, msg_flags)"] = Offset<MsgHdr>(nameof(MsgHdr.Flags)),
            ["sizeof(struct iovec)"] = sizeof(IoVec),
            ["offsetof(struct iovec, iov_base)"] = Offset<IoVec>(nameof(IoVec.Base)),
            ["offsetof(struct iovec, iov_len)"] = Offset<IoVec>(nameof(IoVec.Len)),
            ["sizeof(struct cmsghdr)"] = sizeof(CmsgHdr),
            ["offsetof(struct cmsghdr, cmsg_len)"] = Offset<CmsgHdr>(nameof(CmsgHdr.Len)),
            ["offsetof(struct cmsghdr, cmsg_level)"] = Offset<CmsgHdr>(nameof(CmsgHdr.Level)),
            ["offsetof(struct cmsghdr, cmsg_type)"] = Offset<CmsgHdr>(nameof(CmsgHdr.Type)),
            // FdPassing puts the descriptor right after the header and sizes the buffer like this.
            ["CMSG_LEN(sizeof(int))"] = sizeof(CmsgHdr) + sizeof(int),
            ["CMSG_SPACE(sizeof(int))"] = (sizeof(CmsgHdr) + sizeof(int) + 7) & ~7,
            ["CMSG_SPACE(sizeof(int)) <= 64"] = 1,
        });
    }

    [GccFact]
    public void SpawnConstantsAndBuffersMatchSpawnH()
    {
        AssertMatches("#include <spawn.h>", new Dictionary<string, long>
        {
            ["POSIX_SPAWN_RESETIDS"] = Libc.POSIX_SPAWN_RESETIDS,
            ["POSIX_SPAWN_SETPGROUP"] = Libc.POSIX_SPAWN_SETPGROUP,
            ["POSIX_SPAWN_SETSIGDEF"] = Libc.POSIX_SPAWN_SETSIGDEF,
            ["POSIX_SPAWN_SETSIGMASK"] = Libc.POSIX_SPAWN_SETSIGMASK,
            ["POSIX_SPAWN_SETSID"] = Libc.POSIX_SPAWN_SETSID,
            [$"sizeof(posix_spawn_file_actions_t) <= {Libc.SpawnStructBytes}"] = 1,
            [$"sizeof(posix_spawnattr_t) <= {Libc.SpawnStructBytes}"] = 1,
        });
    }

    [GccFact]
    public void SyscallNumbersMatchSysSyscall()
    {
        AssertMatches("#include <sys/syscall.h>", new Dictionary<string, long>
        {
            ["SYS_pivot_root"] = Sys.PivotRoot,
            ["SYS_seccomp"] = Sys.Seccomp,
            ["SYS_pidfd_open"] = Sys.PidfdOpen,
            ["SYS_pidfd_send_signal"] = Sys.PidfdSendSignal,
            ["SYS_close_range"] = Sys.CloseRange,
        });
    }

    [GccFact]
    public void CloseRangeAndPtyIoctlsMatchTheHeaders()
    {
        AssertMatches("#include <linux/close_range.h>\n#include <sys/ioctl.h>", new Dictionary<string, long>
        {
            ["CLOSE_RANGE_CLOEXEC"] = Private<int>(typeof(Exec), "CLOSE_RANGE_CLOEXEC")!.Value,
            ["TIOCGPTN"] = (long)Private<ulong>(typeof(Pty), "TIOCGPTN")!.Value,
            ["TIOCSPTLCK"] = (long)Private<ulong>(typeof(Pty), "TIOCSPTLCK")!.Value,
            ["TIOCSCTTY"] = (long)Private<ulong>(typeof(Pty), "TIOCSCTTY")!.Value,
            ["TIOCSWINSZ"] = (long)Private<ulong>(typeof(Pty), "TIOCSWINSZ")!.Value,
            ["sizeof(struct winsize)"] = 4 * sizeof(ushort),
        });
    }

    [GccFact]
    public void TermiosFitsItsBuffer()
    {
        AssertMatches("#include <termios.h>\n#include <sys/ioctl.h>", new Dictionary<string, long>
        {
            ["TCSANOW"] = Libc.TCSANOW,
            ["TIOCGWINSZ"] = (long)Private<ulong>(typeof(Pty), "TIOCGWINSZ")!.Value,
            [$"sizeof(struct termios) <= {Libc.TermiosBytes}"] = 1,
            ["offsetof(struct termios, c_lflag)"] = 12, // PtyTests reads it there
            ["ICANON"] = 0x2,
            ["ECHO"] = 0x8,
        });
    }

    [GccFact]
    public void BpfConstantsMatchLinuxBpf()
    {
        AssertMatches("#include <linux/bpf.h>\n#include <sys/syscall.h>", new Dictionary<string, long>
        {
            ["BPF_PROG_LOAD"] = Libc.BPF_PROG_LOAD,
            ["BPF_PROG_ATTACH"] = Libc.BPF_PROG_ATTACH,
            ["BPF_PROG_DETACH"] = Libc.BPF_PROG_DETACH,
            ["BPF_PROG_GET_FD_BY_ID"] = Libc.BPF_PROG_GET_FD_BY_ID,
            ["BPF_PROG_QUERY"] = Libc.BPF_PROG_QUERY,
            ["BPF_PROG_TYPE_CGROUP_DEVICE"] = Libc.BPF_PROG_TYPE_CGROUP_DEVICE,
            ["BPF_CGROUP_DEVICE"] = Libc.BPF_CGROUP_DEVICE,
            ["BPF_F_ALLOW_MULTI"] = Libc.BPF_F_ALLOW_MULTI,
            [$"sizeof(union bpf_attr) >= {Libc.BpfAttrSize}"] = 1,
            ["SYS_bpf"] = System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture == System.Runtime.InteropServices.Architecture.Arm64 ? 280 : 321,
        });
    }

    [GccFact]
    public void StatvfsLayoutIsWhatTryGetMountFlagsReads()
    {
        // Mounts.TryGetMountFlags reads f_flag as the tenth 64-bit word of a 16-word buffer.
        AssertMatches("#include <sys/statvfs.h>", new Dictionary<string, long>
        {
            ["sizeof(struct statvfs) <= 16 * 8"] = 1,
            ["offsetof(struct statvfs, f_flag)"] = 9 * 8,
            ["sizeof(((struct statvfs *)0)->f_flag)"] = 8,
            ["ST_RDONLY"] = (long)Libc.MS_RDONLY,
            ["ST_NOSUID"] = (long)Libc.MS_NOSUID,
            ["ST_NODEV"] = (long)Libc.MS_NODEV,
            ["ST_NOEXEC"] = (long)Libc.MS_NOEXEC,
            ["ST_NOATIME"] = (long)Libc.MS_NOATIME,
            ["ST_NODIRATIME"] = (long)Libc.MS_NODIRATIME,
        });
    }

    private static void AssertMatches(string includes, Dictionary<string, long> ours)
    {
        var theirs = Gcc.Values(includes, ours.Keys);
        var wrong = ours.Where(p => theirs[p.Key] != p.Value)
            .Select(p => $"{p.Key}: ours {p.Value} (0x{p.Value:x}), header {theirs[p.Key]} (0x{theirs[p.Key]:x})").ToList();
        Assert.True(wrong.Count == 0, string.Join("\n", wrong));
    }

    private static long Offset<T>(string field) => System.Runtime.InteropServices.Marshal.OffsetOf<T>(field).ToInt64();

    private static T? Private<T>(Type type, string name) where T : struct =>
        (T?)type.GetField(name, BindingFlags.NonPublic | BindingFlags.Public | BindingFlags.Static)?.GetRawConstantValue()
        ?? throw new InvalidOperationException($"{type.Name}.{name} is gone");
}
