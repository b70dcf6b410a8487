using System.Globalization;
using Berth.Cgroups.Fs;
using Berth.Cgroups.V1;
using Berth.Errdefs;
using Berth.Linux;
using Berth.Oci.Runtime;

namespace Berth.Cgroups.V2;

internal sealed partial class CgroupV2
{
    /// <summary>
    /// memory.swap.max (swap alone), memory.max and memory.low. swappiness and
    /// disableOOMKiller have no v2 knob and are ignored, as runc does; memory.oom.group can be
    /// set through the unified map. Without swap accounting (no memory.swap.max) only
    /// "unlimited" and "no swap" are accepted silently.
    /// </summary>
    private void SetMemory(LinuxMemory? memory)
    {
        if (memory is null || (memory.Limit is null or 0 && memory.Swap is null or 0 && memory.Reservation is null or 0))
        {
            return;
        }
        var limit = memory.Limit ?? 0;
        if (Conversions.SwapMax(memory.Swap ?? 0, limit) is { } swap)
        {
            var value = swap == -1 ? "max" : Number(swap);
            if (!CgroupFs.Exists(_dir, "memory.swap.max") && swap is -1 or 0)
            {
                // No swap accounting: nothing to limit.
            }
            else
            {
                Write("memory", "memory.swap.max", value);
            }
        }
        if (limit != 0)
        {
            try
            {
                Write("memory", "memory.max", limit == -1 ? "max" : Number(limit));
            }
            catch (BerthException e) when (e.Errno == Errno.EBUSY)
            {
                var usage = CgroupFs.TryReadUInt(_dir, "memory.current") ?? 0;
                throw new BerthException(ErrorKind.FailedPrecondition, $"set memory limit `{limit}`: below the current usage {usage}", e) { Errno = e.Errno };
            }
        }
        if (memory.Reservation is { } low and not 0)
        {
            Write("memory", "memory.low", low == -1 ? "max" : Number(low));
        }
    }

    /// <summary>cpu.weight from shares, cpu.idle, cpu.max "quota period" ("max period" when unlimited) and cpu.max.burst.</summary>
    private void SetCpu(LinuxCpu? cpu)
    {
        if (cpu is null)
        {
            return;
        }
        if (cpu.RealtimeRuntime is not (null or 0) || cpu.RealtimePeriod is not (null or 0))
        {
            throw BerthException.InvalidArgument("set cpu realtime runtime: cgroup v2 has no realtime budget");
        }
        if (cpu.Idle is { } idle)
        {
            Write("cpu", "cpu.idle", Number(idle));
        }
        if (cpu.Shares is { } shares and not 0)
        {
            Write("cpu", "cpu.weight", Number(Conversions.SharesToWeight(shares)));
        }
        var burstPending = false;
        if (cpu.Burst is { } burst)
        {
            try
            {
                Write("cpu", "cpu.max.burst", Number(burst));
            }
            catch (BerthException e) when (e.Errno == Errno.EINVAL && cpu.Quota is not (null or 0))
            {
                // A burst above the old quota is refused; it fits once the new quota is in.
                burstPending = true;
            }
        }
        if (cpu.Quota is not (null or 0) || cpu.Period is not (null or 0))
        {
            var quota = cpu.Quota is > 0 ? Number(cpu.Quota.Value) : "max";
            var period = cpu.Period is { } p and not 0 ? p : 100_000UL;
            Write("cpu", "cpu.max", $"{quota} {Number(period)}");
            if (burstPending)
            {
                Write("cpu", "cpu.max.burst", Number(cpu.Burst!.Value));
            }
        }
    }

    private void SetCpuset(LinuxCpu? cpu)
    {
        if (!string.IsNullOrEmpty(cpu?.Cpus))
        {
            Write("cpuset", "cpuset.cpus", cpu.Cpus);
        }
        if (!string.IsNullOrEmpty(cpu?.Mems))
        {
            Write("cpuset", "cpuset.mems", cpu.Mems);
        }
    }

    private void SetPids(LinuxPids? pids)
    {
        if (pids is not null)
        {
            Write("pids", "pids.max", pids.Limit > 0 ? Number(pids.Limit) : "max");
        }
    }

    /// <summary>
    /// io.bfq.weight takes blkio weights as they are when the BFQ scheduler is present;
    /// otherwise io.weight takes them converted. Throttles are one io.max line per write.
    /// </summary>
    private void SetIo(LinuxBlockIO? io)
    {
        if (io is null)
        {
            return;
        }
        var bfq = CgroupFs.TryRead(_dir, "io.bfq.weight");
        if (io.Weight is { } weight and not 0)
        {
            if (bfq is not null)
            {
                Write("io", "io.bfq.weight", Number(weight));
            }
            else
            {
                Write("io", "io.weight", Number(Conversions.BlkioWeightToIoWeight(weight)));
            }
        }
        // BFQ takes per-device weights since 5.4; its file then reads "default N" and device lines.
        var bfqPerDevice = bfq is not null && bfq.Contains("default", StringComparison.Ordinal);
        foreach (var device in io.WeightDevice ?? [])
        {
            if (device.Weight is not { } w)
            {
                continue;
            }
            if (bfqPerDevice)
            {
                Write("io", "io.bfq.weight", $"{device.Major}:{device.Minor} {w}");
            }
            else
            {
                Write("io", "io.weight", $"{device.Major}:{device.Minor} {Conversions.BlkioWeightToIoWeight(w)}");
            }
        }
        IoMax("rbps", io.ThrottleReadBpsDevice);
        IoMax("wbps", io.ThrottleWriteBpsDevice);
        IoMax("riops", io.ThrottleReadIOPSDevice);
        IoMax("wiops", io.ThrottleWriteIOPSDevice);
    }

    private void IoMax(string key, IReadOnlyList<LinuxThrottleDevice>? devices)
    {
        foreach (var device in devices ?? [])
        {
            Write("io", "io.max", $"{device.Major}:{device.Minor} {key}={device.Rate}");
        }
    }

    private void SetHugetlb(IReadOnlyList<LinuxHugepageLimit>? limits)
    {
        foreach (var limit in limits ?? [])
        {
            var size = CgroupV1.ValidPageSize(limit.PageSize);
            Write("hugetlb", $"hugetlb.{size}.max", Number(limit.Limit));
            _fs.WriteIfExists(_dir, $"hugetlb.{size}.rsvd.max", Number(limit.Limit));
        }
    }

    private void SetRdma(IReadOnlyDictionary<string, LinuxRdma>? rdma)
    {
        foreach (var (device, limit) in rdma ?? new Dictionary<string, LinuxRdma>())
        {
            Write("rdma", "rdma.max", CgroupV1.RdmaLine(device, limit));
        }
    }

    /// <summary>Raw writes of the unified map; a key naming no file is an error naming the file.</summary>
    private void SetUnified(IReadOnlyDictionary<string, string>? unified)
    {
        foreach (var (key, value) in unified ?? new Dictionary<string, string>())
        {
            if (!CgroupFs.Exists(_dir, key))
            {
                var controller = key.Split('.')[0];
                throw BerthException.NotFound($"set unified `{key}`: no file `{CgroupFs.Join(_dir, key)}`"
                    + (IsAvailable(controller) ? "" : $" (controller `{controller}` is not enabled for this cgroup)"));
            }
            _fs.Write(_dir, key, value);
        }
    }

    /// <summary>Writes a controller's file; when it is missing, says whether the controller was never enabled.</summary>
    private void Write(string controller, string file, string value)
    {
        if (!CgroupFs.Exists(_dir, file) && Directory.Exists(_dir) && !IsAvailable(controller))
        {
            throw BerthException.FailedPrecondition(
                $"write `{value}` to `{CgroupFs.Join(_dir, file)}`: the `{controller}` controller is not enabled for this cgroup (see the parent's cgroup.subtree_control)");
        }
        _fs.Write(_dir, file, value);
    }

    private bool IsAvailable(string controller) =>
        CgroupFs.TryRead(_dir, "cgroup.controllers") is { } text
        && text.Split((char[])[' ', '\n'], StringSplitOptions.RemoveEmptyEntries).Contains(controller);

    private static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Number(ulong value) => value.ToString(CultureInfo.InvariantCulture);
}
