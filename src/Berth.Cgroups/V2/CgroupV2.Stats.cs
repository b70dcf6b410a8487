using Berth.Cgroups.Fs;
using Berth.Cgroups.V1;
using Berth.Errdefs;

namespace Berth.Cgroups.V2;

internal sealed partial class CgroupV2
{
    public CgroupStats Stats()
    {
        try
        {
            if (!Directory.Exists(_dir))
            {
                throw BerthException.NotFound($"no such cgroup `{_dir}`");
            }
            return new CgroupStats
            {
                Cpu = CpuStatsV2(_dir),
                Memory = MemoryStatsV2(_dir),
                Pids = new PidsStats
                {
                    Current = CgroupFs.TryReadUInt(_dir, "pids.current") ?? 0,
                    Limit = CgroupFs.TryReadUInt(_dir, "pids.max") is { } max && max != ulong.MaxValue ? max : 0,
                },
                Blkio = IoStats(_dir),
                Hugetlb = HugetlbStatsV2(_dir),
            };
        }
        catch (BerthException e)
        {
            throw e.Wrap("read cgroup stats");
        }
    }

    /// <summary>cpu.stat counts microseconds; runc reports nanoseconds. v2 has no per-CPU figures.</summary>
    internal static CpuStats CpuStatsV2(string dir)
    {
        var stat = CgroupFs.ReadKeyValues(dir, "cpu.stat");
        var usage = new CpuUsage
        {
            Total = stat.GetValueOrDefault("usage_usec") * 1000,
            User = stat.GetValueOrDefault("user_usec") * 1000,
            Kernel = stat.GetValueOrDefault("system_usec") * 1000,
        };
        var throttling = new CpuThrottling
        {
            Periods = stat.GetValueOrDefault("nr_periods"),
            ThrottledPeriods = stat.GetValueOrDefault("nr_throttled"),
            ThrottledTime = stat.GetValueOrDefault("throttled_usec") * 1000,
        };
        return new CpuStats { Usage = CgroupV1.NullIfZero(usage, new CpuUsage()), Throttling = CgroupV1.NullIfZero(throttling, new CpuThrottling()) };
    }

    /// <summary>
    /// memory.current/max/peak, and swap reported as memory+swap like v1 (usage and limit
    /// added, unless unlimited; no peak), as runc does. Failures are memory.events "max".
    /// </summary>
    internal static MemoryStats MemoryStatsV2(string dir)
    {
        var raw = CgroupFs.ReadKeyValues(dir, "memory.stat");
        if (CgroupFs.TryReadUInt(dir, "memory.current") is not { } current)
        {
            return new MemoryStats { Raw = raw.Count > 0 ? raw : null, Cache = raw.GetValueOrDefault("file") };
        }
        var events = CgroupFs.ReadKeyValues(dir, "memory.events");
        var usage = new MemoryEntry
        {
            Usage = current,
            Limit = CgroupFs.TryReadUInt(dir, "memory.max") ?? ulong.MaxValue,
            Max = CgroupFs.TryReadUInt(dir, "memory.peak") ?? 0,
            Failcnt = events.GetValueOrDefault("max"),
        };
        MemoryEntry? swap = null;
        if (CgroupFs.TryReadUInt(dir, "memory.swap.current") is { } swapCurrent)
        {
            var swapLimit = CgroupFs.TryReadUInt(dir, "memory.swap.max") ?? ulong.MaxValue;
            swap = new MemoryEntry
            {
                Usage = swapCurrent + usage.Usage,
                Limit = swapLimit == ulong.MaxValue || usage.Limit == ulong.MaxValue ? ulong.MaxValue : swapLimit + usage.Limit,
                Failcnt = CgroupFs.ReadKeyValues(dir, "memory.swap.events").GetValueOrDefault("max"),
            };
        }
        return new MemoryStats
        {
            Cache = raw.GetValueOrDefault("file"),
            Usage = CgroupV1.NullIfZero(usage, new MemoryEntry()),
            Swap = CgroupV1.NullIfZero(swap, new MemoryEntry()),
            Raw = raw.Count > 0 ? raw : null,
        };
    }

    /// <summary>io.stat: "8:0 rbytes=N wbytes=N rios=N wios=N dbytes=N dios=N" per device, into v1's tables.</summary>
    internal static BlkioStats IoStats(string dir)
    {
        var bytes = new List<BlkioEntry>();
        var serviced = new List<BlkioEntry>();
        foreach (var line in (CgroupFs.TryRead(dir, "io.stat") ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            var device = fields[0].Split(':');
            if (device.Length != 2)
            {
                continue;
            }
            var major = CgroupFs.ParseUInt(device[0], dir, "io.stat");
            var minor = CgroupFs.ParseUInt(device[1], dir, "io.stat");
            foreach (var field in fields.Skip(1))
            {
                var eq = field.IndexOf('=', StringComparison.Ordinal);
                if (eq < 0)
                {
                    continue;
                }
                var (table, op) = field[..eq] switch
                {
                    "rbytes" => (bytes, "Read"),
                    "wbytes" => (bytes, "Write"),
                    "rios" => (serviced, "Read"),
                    "wios" => (serviced, "Write"),
                    _ => (null, ""),
                };
                table?.Add(new BlkioEntry { Major = major, Minor = minor, Op = op, Value = CgroupFs.ParseUInt(field[(eq + 1)..], dir, "io.stat") });
            }
        }
        return new BlkioStats { IoServiceBytesRecursive = CgroupV1.NonEmpty(bytes), IoServicedRecursive = CgroupV1.NonEmpty(serviced) };
    }

    private static Dictionary<string, HugetlbStats> HugetlbStatsV2(string dir)
    {
        var result = new Dictionary<string, HugetlbStats>(StringComparer.Ordinal);
        foreach (var size in CgroupV1.HugetlbSizes(dir, ".max"))
        {
            result[size] = new HugetlbStats
            {
                Usage = CgroupFs.TryReadUInt(dir, $"hugetlb.{size}.current") ?? 0,
                Failcnt = CgroupFs.ReadKeyValues(dir, $"hugetlb.{size}.events").GetValueOrDefault("max"),
            };
        }
        return result;
    }
}
