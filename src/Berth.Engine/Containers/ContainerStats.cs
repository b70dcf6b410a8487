using System.Text.Json;

namespace Berth.Engine.Containers;

/// <summary>
/// One sample of a container's resource use in the quantities docker's <c>stats</c> shows, read
/// from runc's <c>events --stats</c> JSON (<c>cpu.usage.total</c> in ns, <c>memory.usage</c>,
/// <c>memory.stats</c>, <c>pids.current</c>, <c>blkio.ioServiceBytesRecursive</c>). Missing fields
/// are zero, as docker tolerates.
/// </summary>
public sealed record ContainerStats
{
    public DateTimeOffset Read { get; init; }

    /// <summary>Total CPU time of the cgroup, nanoseconds.</summary>
    public ulong CpuTotal { get; init; }

    /// <summary>Memory use without the inactive page cache (docker's "usage - inactive_file").</summary>
    public ulong MemoryUsage { get; init; }

    /// <summary>The cgroup's limit; 0 or a huge value when unlimited (the caller substitutes host memory).</summary>
    public ulong MemoryLimit { get; init; }

    public ulong Pids { get; init; }
    public ulong BlockRead { get; init; }
    public ulong BlockWrite { get; init; }

    public static ContainerStats FromRuntime(JsonElement data, DateTimeOffset read)
    {
        ulong cpu = 0, usage = 0, limit = 0, inactive = 0, pids = 0, blkRead = 0, blkWrite = 0;
        if (Path(data, "cpu", "usage", "total") is { } total)
            cpu = total;
        if (Path(data, "memory", "usage", "usage") is { } u)
            usage = u;
        if (Path(data, "memory", "usage", "limit") is { } l)
            limit = l;
        // cgroup v1 names it total_inactive_file, v2 inactive_file.
        inactive = Path(data, "memory", "stats", "total_inactive_file") ?? Path(data, "memory", "stats", "inactive_file") ?? 0;
        if (Path(data, "pids", "current") is { } p)
            pids = p;
        if (data.TryGetProperty("blkio", out var blkio) && blkio.ValueKind == JsonValueKind.Object
            && blkio.TryGetProperty("ioServiceBytesRecursive", out var entries) && entries.ValueKind == JsonValueKind.Array)
        {
            foreach (var e in entries.EnumerateArray())
            {
                var op = e.TryGetProperty("op", out var o) ? o.GetString() ?? "" : "";
                var value = e.TryGetProperty("value", out var v) && v.TryGetUInt64(out var n) ? n : 0;
                if (op.Equals("read", StringComparison.OrdinalIgnoreCase))
                    blkRead += value;
                else if (op.Equals("write", StringComparison.OrdinalIgnoreCase))
                    blkWrite += value;
            }
        }
        return new ContainerStats
        {
            Read = read,
            CpuTotal = cpu,
            MemoryUsage = inactive < usage ? usage - inactive : usage,
            MemoryLimit = limit,
            Pids = pids,
            BlockRead = blkRead,
            BlockWrite = blkWrite,
        };
    }

    /// <summary>
    /// docker's CPU %: the container's CPU time over the host's between two samples, times the
    /// CPUs online, ×100; the host's CPU time over an interval is the wall time × CPUs, so this is
    /// CPU time over wall time ×100. 0 without a previous sample.
    /// </summary>
    public static double CpuPercent(ContainerStats? previous, ContainerStats current)
    {
        ArgumentNullException.ThrowIfNull(current);
        if (previous is null)
            return 0;
        var wall = (current.Read - previous.Read).Ticks * 100.0;
        if (wall <= 0 || current.CpuTotal < previous.CpuTotal)
            return 0;
        return (current.CpuTotal - previous.CpuTotal) / wall * 100.0;
    }

    /// <summary>The limit docker reports: the cgroup's, or the host's memory when the cgroup has none.</summary>
    public static ulong EffectiveLimit(ulong cgroupLimit, ulong hostMemory) =>
        cgroupLimit == 0 || cgroupLimit >= hostMemory ? hostMemory : cgroupLimit;

    public static double MemoryPercent(ulong usage, ulong limit) => limit == 0 ? 0 : usage * 100.0 / limit;

    /// <summary>MemTotal from /proc/meminfo, in bytes.</summary>
    public static ulong HostMemory()
    {
        foreach (var line in File.ReadLines("/proc/meminfo"))
        {
            if (!line.StartsWith("MemTotal:", StringComparison.Ordinal))
                continue;
            var kb = line["MemTotal:".Length..].Trim().Split(' ')[0];
            return ulong.TryParse(kb, System.Globalization.CultureInfo.InvariantCulture, out var n) ? n * 1024 : 0;
        }
        return 0;
    }

    private static ulong? Path(JsonElement e, params string[] names)
    {
        foreach (var name in names)
        {
            if (e.ValueKind != JsonValueKind.Object || !e.TryGetProperty(name, out e))
                return null;
        }
        return e.ValueKind == JsonValueKind.Number && e.TryGetUInt64(out var n) ? n : null;
    }
}
