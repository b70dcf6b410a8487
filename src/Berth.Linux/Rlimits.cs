using Berth.Errdefs;
using Berth.Linux.Interop;

namespace Berth.Linux;

/// <summary>Resource limits by their OCI names (RLIMIT_NOFILE…).</summary>
public static class Rlimits
{
    public static readonly IReadOnlyList<string> Names =
    [
        "RLIMIT_CPU", "RLIMIT_FSIZE", "RLIMIT_DATA", "RLIMIT_STACK", "RLIMIT_CORE", "RLIMIT_RSS",
        "RLIMIT_NPROC", "RLIMIT_NOFILE", "RLIMIT_MEMLOCK", "RLIMIT_AS", "RLIMIT_LOCKS", "RLIMIT_SIGPENDING",
        "RLIMIT_MSGQUEUE", "RLIMIT_NICE", "RLIMIT_RTPRIO", "RLIMIT_RTTIME",
    ];

    public static int Resource(string name)
    {
        for (var i = 0; i < Names.Count; i++)
        {
            if (Names[i] == name)
                return i;
        }
        throw BerthException.InvalidArgument($"rlimit `{name}` is unknown");
    }

    public static unsafe void Set(int pid, string name, ulong soft, ulong hard)
    {
        var limit = new RLimit { Cur = soft, Max = hard };
        if (Libc.prlimit(pid, Resource(name), &limit, null) != 0)
            throw Errno.Last($"set rlimit `{name}` to {soft}:{hard}");
    }
}
