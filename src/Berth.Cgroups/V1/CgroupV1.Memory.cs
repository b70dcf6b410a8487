using System.Globalization;
using Berth.Cgroups.Fs;
using Berth.Errdefs;
using Berth.Linux;
using Berth.Oci.Runtime;

namespace Berth.Cgroups.V1;

internal sealed partial class CgroupV1
{
    private const string MemoryLimit = "memory.limit_in_bytes";
    private const string MemorySwapLimit = "memory.memsw.limit_in_bytes";

    /// <summary>
    /// memory.limit_in_bytes and memory.memsw.limit_in_bytes (memory+swap) must keep
    /// memsw ≥ limit at every step, or the kernel answers EINVAL: when the new memsw is
    /// above the current limit (raising, or unlimited) memsw goes first, otherwise (lowering)
    /// the limit goes first. Swap is ignored when the kernel has no swap accounting (no memsw
    /// file); kernel memory limits are written only where the kernel still has them.
    /// </summary>
    private void SetMemory(LinuxMemory? memory)
    {
        if (memory is null)
        {
            return;
        }
        var dir = Require("memory", "memory limits");
        var limit = memory.Limit ?? 0;
        var swap = memory.Swap ?? 0;
        var hasSwapFile = CgroupFs.Exists(dir, MemorySwapLimit);
        if (limit == -1 && swap == 0 && hasSwapFile)
        {
            // "Unlimited memory" with swap unspecified means unlimited swap too.
            swap = -1;
        }
        if (!hasSwapFile)
        {
            swap = 0;
        }
        if (limit != 0 && swap != 0)
        {
            var current = CgroupFs.ReadUInt(dir, MemoryLimit);
            if (swap == -1 || current < (ulong)swap)
            {
                WriteSwap(dir, swap);
                WriteLimit(dir, limit);
            }
            else
            {
                WriteLimit(dir, limit);
                WriteSwap(dir, swap);
            }
        }
        else
        {
            WriteLimit(dir, limit);
            WriteSwap(dir, swap);
        }
        WriteKernelMemory(dir, "memory.kmem.limit_in_bytes", memory.Kernel);
        WriteKernelMemory(dir, "memory.kmem.tcp.limit_in_bytes", memory.KernelTCP);
        if (memory.Reservation is { } reservation and not 0)
        {
            _fs.Write(dir, "memory.soft_limit_in_bytes", Number(reservation));
        }
        if (memory.DisableOOMKiller == true)
        {
            _fs.Write(dir, "memory.oom_control", "1");
        }
        if (memory.Swappiness is { } swappiness)
        {
            _fs.Write(dir, "memory.swappiness", swappiness.ToString(CultureInfo.InvariantCulture));
        }
    }

    private void WriteLimit(string dir, long limit)
    {
        if (limit == 0)
        {
            return;
        }
        try
        {
            _fs.Write(dir, MemoryLimit, Number(limit));
        }
        catch (BerthException e) when (e.Errno == Errno.EBUSY)
        {
            // The kernel could not reclaim enough to get under the new limit.
            var usage = CgroupFs.TryReadUInt(dir, "memory.usage_in_bytes") ?? 0;
            var peak = CgroupFs.TryReadUInt(dir, "memory.max_usage_in_bytes") ?? 0;
            throw new BerthException(ErrorKind.FailedPrecondition,
                $"set memory limit `{limit}`: below the current usage {usage} (peak {peak})", e) { Errno = e.Errno };
        }
    }

    private void WriteSwap(string dir, long swap)
    {
        if (swap != 0)
        {
            _fs.Write(dir, MemorySwapLimit, Number(swap));
        }
    }

    private void WriteKernelMemory(string dir, string file, long? value)
    {
        if (value is not { } limit || limit == 0 || !CgroupFs.Exists(dir, file))
        {
            return;
        }
        try
        {
            _fs.Write(dir, file, Number(limit));
        }
        catch (BerthException e) when (e.Errno is Errno.ENOTSUP or Errno.EINVAL)
        {
            // Kernels since 5.16 keep the file but refuse limits; runc ignores kernel memory too.
        }
    }

    private static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Number(ulong value) => value.ToString(CultureInfo.InvariantCulture);
}
