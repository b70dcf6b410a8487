using Berth.Errdefs;
using Berth.Linux.Interop;

namespace Berth.Linux;

/// <summary>
/// Linux capabilities by name, and the calls that set a thread's five sets. All of these act
/// on the calling thread only, which is what a process about to execve wants.
/// </summary>
public static class Capabilities
{
    private const int PR_CAPBSET_READ = 23;
    private const int PR_CAPBSET_DROP = 24;
    private const int PR_CAP_AMBIENT = 47;
    private const int PR_CAP_AMBIENT_RAISE = 2;
    private const int PR_CAP_AMBIENT_CLEAR_ALL = 4;
    private const uint LINUX_CAPABILITY_VERSION_3 = 0x20080522;

    /// <summary>Capability names in number order (linux/capability.h).</summary>
    public static readonly IReadOnlyList<string> Names =
    [
        "CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_DAC_READ_SEARCH", "CAP_FOWNER", "CAP_FSETID", "CAP_KILL",
        "CAP_SETGID", "CAP_SETUID", "CAP_SETPCAP", "CAP_LINUX_IMMUTABLE", "CAP_NET_BIND_SERVICE",
        "CAP_NET_BROADCAST", "CAP_NET_ADMIN", "CAP_NET_RAW", "CAP_IPC_LOCK", "CAP_IPC_OWNER", "CAP_SYS_MODULE",
        "CAP_SYS_RAWIO", "CAP_SYS_CHROOT", "CAP_SYS_PTRACE", "CAP_SYS_PACCT", "CAP_SYS_ADMIN", "CAP_SYS_BOOT",
        "CAP_SYS_NICE", "CAP_SYS_RESOURCE", "CAP_SYS_TIME", "CAP_SYS_TTY_CONFIG", "CAP_MKNOD", "CAP_LEASE",
        "CAP_AUDIT_WRITE", "CAP_AUDIT_CONTROL", "CAP_SETFCAP", "CAP_MAC_OVERRIDE", "CAP_MAC_ADMIN", "CAP_SYSLOG",
        "CAP_WAKE_ALARM", "CAP_BLOCK_SUSPEND", "CAP_AUDIT_READ", "CAP_PERFMON", "CAP_BPF", "CAP_CHECKPOINT_RESTORE",
    ];

    /// <summary>The highest capability the running kernel knows (/proc/sys/kernel/cap_last_cap).</summary>
    public static int LastCap()
    {
        try
        {
            return int.Parse(File.ReadAllText("/proc/sys/kernel/cap_last_cap").Trim(), System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (IOException)
        {
            return Names.Count - 1;
        }
    }

    /// <summary>Turns names into a bit mask. Unknown names throw; names the kernel lacks are skipped, as runc does.</summary>
    public static ulong Mask(IEnumerable<string>? names, int lastCap)
    {
        ulong mask = 0;
        foreach (var name in names ?? [])
        {
            var index = IndexOf(name);
            if (index < 0)
                throw BerthException.InvalidArgument($"capability `{name}` is unknown");
            if (index <= lastCap)
                mask |= 1UL << index;
        }
        return mask;
    }

    public static int IndexOf(string name)
    {
        var upper = name.ToUpperInvariant();
        if (!upper.StartsWith("CAP_", StringComparison.Ordinal))
            upper = "CAP_" + upper;
        for (var i = 0; i < Names.Count; i++)
        {
            if (Names[i] == upper)
                return i;
        }
        return -1;
    }

    /// <summary>Drops every capability not in <paramref name="keep"/> from the bounding set.</summary>
    public static void DropBounding(ulong keep, int lastCap)
    {
        for (var cap = 0; cap <= lastCap; cap++)
        {
            if ((keep & (1UL << cap)) != 0)
                continue;
            if (Libc.prctl(PR_CAPBSET_READ, (ulong)cap, 0, 0, 0) <= 0)
                continue;
            if (Libc.prctl(PR_CAPBSET_DROP, (ulong)cap, 0, 0, 0) != 0)
                throw Errno.Last($"drop capability `{Names[cap]}` from the bounding set");
        }
    }

    /// <summary>capset(2) of the effective, permitted and inheritable sets of the calling thread.</summary>
    public static unsafe void Set(ulong effective, ulong permitted, ulong inheritable)
    {
        var header = stackalloc uint[2];
        header[0] = LINUX_CAPABILITY_VERSION_3;
        header[1] = 0;
        var data = stackalloc uint[6];
        data[0] = (uint)effective;
        data[1] = (uint)permitted;
        data[2] = (uint)inheritable;
        data[3] = (uint)(effective >> 32);
        data[4] = (uint)(permitted >> 32);
        data[5] = (uint)(inheritable >> 32);
        if (Libc.capset(header, data) != 0)
            throw Errno.Last("set capabilities");
    }

    /// <summary>Clears the ambient set and raises what it can of <paramref name="ambient"/>.</summary>
    public static void SetAmbient(ulong ambient, int lastCap)
    {
        if (Libc.prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) != 0)
            throw Errno.Last("clear ambient capabilities");
        for (var cap = 0; cap <= lastCap; cap++)
        {
            // The kernel refuses a cap that is not both permitted and inheritable; runc only
            // warns about it, and configs (runc's default among them) rely on that.
            if ((ambient & (1UL << cap)) != 0)
                Libc.prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, (ulong)cap, 0, 0);
        }
    }
}
