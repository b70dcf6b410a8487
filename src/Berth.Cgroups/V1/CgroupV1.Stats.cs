using Berth.Cgroups.Fs;
using Berth.Errdefs;

namespace Berth.Cgroups.V1;

internal sealed partial class CgroupV1
{
    /// <summary>USER_HZ: cpuacct.stat counts in clock ticks of 1/100 s on every Linux architecture.</summary>
    private const ulong ClockTicks = 100;

    public CgroupStats Stats()
    {
        try
        {
            return new CgroupStats
            {
                Cpu = CpuStatsV1(),
                Memory = Dir("memory") is { } memory ? MemoryStatsV1(memory) : new MemoryStats(),
                Pids = Dir("pids") is { } pids ? PidsStatsV1(pids) : new PidsStats(),
                Blkio = Dir("blkio") is { } blkio ? BlkioStatsV1(blkio) : new BlkioStats(),
                Hugetlb = Dir("hugetlb") is { } hugetlb ? HugetlbStatsV1(hugetlb) : new Dictionary<string, HugetlbStats>(),
            };
        }
        catch (BerthException e)
        {
            throw e.Wrap("read cgroup stats");
        }
    }

    private CpuStats CpuStatsV1()
    {
        CpuUsage? usage = null;
        if (Dir("cpuacct") is { } acct && Directory.Exists(acct))
        {
            var (user, system) = CpuacctStat(acct);
            var (percpuKernel, percpuUser) = UsageAll(acct);
            usage = new CpuUsage
            {
                Total = CgroupFs.ReadUInt(acct, "cpuacct.usage"),
                Percpu = NonEmpty(Numbers(CgroupFs.TryRead(acct, "cpuacct.usage_percpu"), acct, "cpuacct.usage_percpu")),
                PercpuKernel = percpuKernel,
                PercpuUser = percpuUser,
                User = user,
                Kernel = system,
            };
        }
        CpuThrottling? throttling = null;
        if (Dir("cpu") is { } cpu)
        {
            var stat = CgroupFs.ReadKeyValues(cpu, "cpu.stat");
            throttling = new CpuThrottling
            {
                Periods = stat.GetValueOrDefault("nr_periods"),
                ThrottledPeriods = stat.GetValueOrDefault("nr_throttled"),
                ThrottledTime = stat.GetValueOrDefault("throttled_time"),
            };
        }
        return new CpuStats { Usage = NullIfZero(usage, new CpuUsage()), Throttling = NullIfZero(throttling, new CpuThrottling()) };
    }

    /// <summary>cpuacct.stat: "user N\nsystem N" in clock ticks, returned in nanoseconds.</summary>
    private static (ulong User, ulong System) CpuacctStat(string dir)
    {
        var values = CgroupFs.ReadKeyValues(dir, "cpuacct.stat");
        const ulong NsPerTick = 1_000_000_000 / ClockTicks;
        return (values.GetValueOrDefault("user") * NsPerTick, values.GetValueOrDefault("system") * NsPerTick);
    }

    /// <summary>cpuacct.usage_all: a "cpu user system" header, then one line per CPU.</summary>
    private static (IReadOnlyList<ulong>? Kernel, IReadOnlyList<ulong>? User) UsageAll(string dir)
    {
        if (CgroupFs.TryRead(dir, "cpuacct.usage_all") is not { } text)
        {
            return (null, null);
        }
        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        if (lines.Length == 0 || !lines[0].StartsWith("cpu user system", StringComparison.Ordinal))
        {
            throw BerthException.InvalidArgument($"parse `{CgroupFs.Join(dir, "cpuacct.usage_all")}`: unexpected header");
        }
        var kernel = new List<ulong>();
        var user = new List<ulong>();
        foreach (var line in lines.Skip(1))
        {
            var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length >= 3)
            {
                user.Add(CgroupFs.ParseUInt(fields[1], dir, "cpuacct.usage_all"));
                kernel.Add(CgroupFs.ParseUInt(fields[2], dir, "cpuacct.usage_all"));
            }
        }
        return (NonEmpty(kernel), NonEmpty(user));
    }

    private static MemoryStats MemoryStatsV1(string dir)
    {
        var raw = CgroupFs.ReadKeyValues(dir, "memory.stat");
        return new MemoryStats
        {
            Cache = raw.GetValueOrDefault("cache"),
            Usage = MemoryEntryV1(dir, "memory"),
            Swap = MemoryEntryV1(dir, "memory.memsw"),
            Kernel = MemoryEntryV1(dir, "memory.kmem"),
            KernelTCP = MemoryEntryV1(dir, "memory.kmem.tcp"),
            Raw = raw.Count > 0 ? raw : null,
        };
    }

    /// <summary>&lt;prefix&gt;.usage_in_bytes, .max_usage_in_bytes, .failcnt, .limit_in_bytes; null when the kernel lacks the counter.</summary>
    private static MemoryEntry? MemoryEntryV1(string dir, string prefix)
    {
        if (CgroupFs.TryReadUInt(dir, prefix + ".usage_in_bytes") is not { } usage)
        {
            return null;
        }
        var entry = new MemoryEntry
        {
            Usage = usage,
            Max = CgroupFs.TryReadUInt(dir, prefix + ".max_usage_in_bytes") ?? 0,
            Failcnt = CgroupFs.TryReadUInt(dir, prefix + ".failcnt") ?? 0,
            Limit = CgroupFs.TryReadUInt(dir, prefix + ".limit_in_bytes") ?? 0,
        };
        return NullIfZero(entry, new MemoryEntry());
    }

    private static PidsStats PidsStatsV1(string dir) => new()
    {
        Current = CgroupFs.TryReadUInt(dir, "pids.current") ?? 0,
        Limit = CgroupFs.TryReadUInt(dir, "pids.max") is { } max && max != ulong.MaxValue ? max : 0,
    };

    /// <summary>
    /// The CFQ tables when the kernel keeps them, else BFQ's, else the throttling layer's,
    /// which counts every device (runc's order).
    /// </summary>
    private static BlkioStats BlkioStatsV1(string dir)
    {
        List<BlkioEntry>? Table(string file) => NonEmpty(BlkioTable.Parse(CgroupFs.TryRead(dir, file), dir, file));
        if (Table("blkio.io_serviced_recursive") is { } serviced)
        {
            return new BlkioStats
            {
                IoServiceBytesRecursive = Table("blkio.io_service_bytes_recursive"),
                IoServicedRecursive = serviced,
                IoQueuedRecursive = Table("blkio.io_queued_recursive"),
                IoServiceTimeRecursive = Table("blkio.io_service_time_recursive"),
                IoWaitTimeRecursive = Table("blkio.io_wait_time_recursive"),
                IoMergedRecursive = Table("blkio.io_merged_recursive"),
                IoTimeRecursive = Table("blkio.time_recursive"),
                SectorsRecursive = Table("blkio.sectors_recursive"),
            };
        }
        if (Table("blkio.bfq.io_serviced_recursive") is { } bfqServiced)
        {
            return new BlkioStats
            {
                IoServiceBytesRecursive = Table("blkio.bfq.io_service_bytes_recursive"),
                IoServicedRecursive = bfqServiced,
                IoQueuedRecursive = Table("blkio.bfq.io_queued_recursive"),
                IoServiceTimeRecursive = Table("blkio.bfq.io_service_time_recursive"),
                IoWaitTimeRecursive = Table("blkio.bfq.io_wait_time_recursive"),
                IoMergedRecursive = Table("blkio.bfq.io_merged_recursive"),
                IoTimeRecursive = Table("blkio.bfq.time_recursive"),
                SectorsRecursive = Table("blkio.bfq.sectors_recursive"),
            };
        }
        return new BlkioStats
        {
            IoServiceBytesRecursive = Table("blkio.throttle.io_service_bytes_recursive") ?? Table("blkio.throttle.io_service_bytes"),
            IoServicedRecursive = Table("blkio.throttle.io_serviced_recursive") ?? Table("blkio.throttle.io_serviced"),
        };
    }

    private static Dictionary<string, HugetlbStats> HugetlbStatsV1(string dir)
    {
        var result = new Dictionary<string, HugetlbStats>(StringComparer.Ordinal);
        foreach (var size in HugetlbSizes(dir, ".limit_in_bytes"))
        {
            var prefix = "hugetlb." + size;
            result[size] = new HugetlbStats
            {
                Usage = CgroupFs.TryReadUInt(dir, prefix + ".usage_in_bytes") ?? 0,
                Max = CgroupFs.TryReadUInt(dir, prefix + ".max_usage_in_bytes") ?? 0,
                Failcnt = CgroupFs.TryReadUInt(dir, prefix + ".failcnt") ?? 0,
            };
        }
        return result;
    }

    /// <summary>The page sizes a hugetlb directory has files for ("hugetlb.2MB.limit_in_bytes" → "2MB"), reservations aside.</summary>
    internal static IEnumerable<string> HugetlbSizes(string dir, string suffix)
    {
        if (!Directory.Exists(dir))
        {
            return [];
        }
        return Directory.EnumerateFiles(dir, "hugetlb.*" + suffix)
            .Select(f => Path.GetFileName(f)["hugetlb.".Length..^suffix.Length])
            .Where(size => !size.Contains('.', StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .ToList();
    }

    private static List<ulong> Numbers(string? text, string dir, string file) =>
        text is null ? [] : text.Split((char[])[' ', '\n'], StringSplitOptions.RemoveEmptyEntries).Select(n => CgroupFs.ParseUInt(n, dir, file)).ToList();

    internal static List<T>? NonEmpty<T>(List<T> list) => list.Count > 0 ? list : null;

    /// <summary>runc's omitzero: a section equal to its zero value is left out.</summary>
    internal static T? NullIfZero<T>(T? value, T zero) where T : class =>
        value is null || ZeroEquals(value, zero) ? null : value;

    private static bool ZeroEquals<T>(T value, T zero) where T : class => value switch
    {
        CpuUsage u => u.Total == 0 && u.Kernel == 0 && u.User == 0 && u.Percpu is null && u.PercpuKernel is null && u.PercpuUser is null,
        _ => EqualityComparer<T>.Default.Equals(value, zero),
    };
}
