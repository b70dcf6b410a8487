using Berth.Engine.Model;
using Berth.Errdefs;
using Berth.Oci.Runtime;

namespace Berth.Engine.Spec;

/// <summary>
/// HostConfig's limits as the spec's cgroup resources, with docker's rules: zero means unset;
/// <c>NanoCpus</c> becomes a quota over a 100 ms period and cannot be combined with CpuQuota or
/// CpuPeriod; a memory limit without MemorySwap gets swap = 2 × memory (docker's default);
/// PidsLimit above 0 limits, 0 or -1 do not. Values docker rejects are InvalidArgument with
/// docker's message (memory under 6 MB, swap under memory, reservation over memory, period
/// outside 1 ms–1 s, quota under 1 ms, OOM score outside ±1000).
/// </summary>
public static class ResourceMapper
{
    public const ulong CpuPeriod = 100_000;
    private const long MinMemory = 6 * 1024 * 1024;

    public static LinuxResources Map(HostConfig hc)
    {
        ArgumentNullException.ThrowIfNull(hc);
        return new LinuxResources { Memory = Memory(hc), Cpu = Cpu(hc), Pids = hc.PidsLimit is > 0 and var p ? new LinuxPids { Limit = p } : null };
    }

    private static LinuxMemory? Memory(HostConfig hc)
    {
        if (hc.Memory != 0 && hc.Memory < MinMemory)
            throw BerthException.InvalidArgument("Minimum memory limit allowed is 6MB");
        var swap = hc.MemorySwap;
        if (hc.Memory > 0 && swap == 0)
            swap = hc.Memory * 2;
        if (hc.Memory > 0 && swap > 0 && swap < hc.Memory)
            throw BerthException.InvalidArgument(
                "Minimum memoryswap limit should be larger than memory limit, see usage");
        if (hc.Memory > 0 && hc.MemoryReservation > hc.Memory)
            throw BerthException.InvalidArgument(
                "Minimum memory limit can not be less than memory reservation limit, see usage");
        if (hc.MemorySwappiness is < -1 or > 100)
            throw BerthException.InvalidArgument(
                $"Invalid value: {hc.MemorySwappiness}, valid memory swappiness range is 0-100");
        var memory = new LinuxMemory
        {
            Limit = hc.Memory != 0 ? hc.Memory : null,
            Reservation = hc.MemoryReservation != 0 ? hc.MemoryReservation : null,
            Swap = swap != 0 ? swap : null,
            Swappiness = hc.MemorySwappiness is >= 0 and var s ? (ulong)s : null,
            DisableOOMKiller = hc.OomKillDisable,
        };
        return memory == new LinuxMemory() ? null : memory;
    }

    private static LinuxCpu? Cpu(HostConfig hc)
    {
        if (hc.NanoCpus > 0 && hc.CpuPeriod > 0)
            throw BerthException.InvalidArgument("Conflicting options: Nano CPUs and CPU Period cannot both be set");
        if (hc.NanoCpus > 0 && hc.CpuQuota > 0)
            throw BerthException.InvalidArgument("Conflicting options: Nano CPUs and CPU Quota cannot both be set");
        if (hc.NanoCpus < 0)
            throw BerthException.InvalidArgument("Range of CPUs is from 0.01 to the number of CPUs");
        if (hc.CpuPeriod != 0 && hc.CpuPeriod is < 1000 or > 1_000_000)
            throw BerthException.InvalidArgument(
                "CPU cfs period can not be less than 1ms (i.e. 1000) or larger than 1s (i.e. 1000000)");
        if (hc.CpuQuota > 0 && hc.CpuQuota < 1000)
            throw BerthException.InvalidArgument("CPU cfs quota can not be less than 1ms (i.e. 1000)");
        if (hc.CpuShares < 0)
            throw BerthException.InvalidArgument($"invalid CPU shares ({hc.CpuShares}): value must be a positive integer");

        ulong? period = hc.CpuPeriod != 0 ? (ulong)hc.CpuPeriod : null;
        long? quota = hc.CpuQuota != 0 ? hc.CpuQuota : null;
        if (hc.NanoCpus > 0)
        {
            period = CpuPeriod;
            quota = (long)(hc.NanoCpus * (decimal)CpuPeriod / 1_000_000_000m);
        }
        var cpu = new LinuxCpu
        {
            Shares = hc.CpuShares != 0 ? (ulong)hc.CpuShares : null,
            Period = period,
            Quota = quota,
            Cpus = hc.CpusetCpus.Length > 0 ? hc.CpusetCpus : null,
            Mems = hc.CpusetMems.Length > 0 ? hc.CpusetMems : null,
        };
        return cpu == new LinuxCpu() ? null : cpu;
    }

    /// <summary>Docker's range check of <c>--oom-score-adj</c>.</summary>
    public static int OomScoreAdj(int value) => value is >= -1000 and <= 1000
        ? value
        : throw BerthException.InvalidArgument($"Invalid value {value}, range for oom score adj is [-1000, 1000]");
}
