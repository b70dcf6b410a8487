using Berth.Errdefs;

namespace Berth.Cgroups.V2;

/// <summary>
/// The runtime spec speaks cgroup v1 (shares, memory+swap, blkio weight); these map its
/// values onto v2's knobs the way runc and crun do.
/// </summary>
internal static class Conversions
{
    /// <summary>
    /// cpu.shares [2, 262144] onto cpu.weight [1, 10000] linearly:
    /// 1 + ((shares - 2) * 9999) / 262142, so 2 → 1, 1024 → 39, 262144 → 10000; 0 means unset.
    /// This is the mapping of runc up to 1.2 and crun before 1.23 (the peers on this project's
    /// machines); newer runc and crun use a curve that maps 1024 to 100 instead.
    /// </summary>
    public static ulong SharesToWeight(ulong shares)
    {
        if (shares == 0)
        {
            return 0;
        }
        var clamped = Math.Clamp(shares, 2UL, 262144UL);
        return 1 + ((clamped - 2) * 9999) / 262142;
    }

    /// <summary>blkio.weight [10, 1000] onto io.weight [1, 10000]: 1 + (w - 10) * 9999 / 990; 0 means unset.</summary>
    public static ulong BlkioWeightToIoWeight(ushort weight)
    {
        if (weight == 0)
        {
            return 0;
        }
        var clamped = Math.Clamp((ulong)weight, 10UL, 1000UL);
        return 1 + (clamped - 10) * 9999 / 990;
    }

    /// <summary>
    /// OCI's swap is memory+swap; memory.swap.max is swap alone, so it is swap − limit
    /// (0 when they are equal: no swap). -1 stays unlimited, and unlimited memory with swap
    /// unset means unlimited swap too. Returns null when there is nothing to write, -1 for "max".
    /// </summary>
    public static long? SwapMax(long swap, long limit) => (swap, limit) switch
    {
        (0, -1) => -1,
        (0, _) => null,
        (-1, _) => -1,
        (_, -1) => swap,
        (_, 0) => throw BerthException.InvalidArgument($"set memory swap `{swap}`: a swap limit needs a memory limit on cgroup v2"),
        (< 0, _) => throw BerthException.InvalidArgument($"set memory swap `{swap}`: invalid value"),
        (_, < 0) => throw BerthException.InvalidArgument($"set memory limit `{limit}`: invalid value"),
        _ when swap < limit => throw BerthException.InvalidArgument($"set memory swap `{swap}`: memory+swap must be at least the memory limit `{limit}`"),
        _ => swap - limit,
    };
}
