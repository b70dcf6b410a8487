using System.Globalization;
using System.Text;
using Berth.Cgroups.Fs;
using Berth.Errdefs;
using Berth.Oci.Runtime;

namespace Berth.Cgroups.V1;

internal sealed partial class CgroupV1
{
    /// <summary>
    /// blkio weights and throttles, one "major:minor value" line per write. Kernels whose
    /// only proportional scheduler is BFQ have blkio.bfq.weight instead of blkio.weight.
    /// </summary>
    private void SetBlkio(LinuxBlockIO? io)
    {
        if (io is null)
        {
            return;
        }
        var dir = Require("blkio", "block io limits");
        var bfq = !CgroupFs.Exists(dir, "blkio.weight") && CgroupFs.Exists(dir, "blkio.bfq.weight");
        if (io.Weight is { } weight and not 0)
        {
            _fs.Write(dir, bfq ? "blkio.bfq.weight" : "blkio.weight", Number(weight));
        }
        if (io.LeafWeight is { } leaf and not 0)
        {
            _fs.Write(dir, "blkio.leaf_weight", Number(leaf));
        }
        foreach (var device in io.WeightDevice ?? [])
        {
            if (device.Weight is { } w)
            {
                _fs.Write(dir, bfq ? "blkio.bfq.weight_device" : "blkio.weight_device", $"{device.Major}:{device.Minor} {w}");
            }
            if (device.LeafWeight is { } lw)
            {
                _fs.Write(dir, "blkio.leaf_weight_device", $"{device.Major}:{device.Minor} {lw}");
            }
        }
        Throttle(dir, "blkio.throttle.read_bps_device", io.ThrottleReadBpsDevice);
        Throttle(dir, "blkio.throttle.write_bps_device", io.ThrottleWriteBpsDevice);
        Throttle(dir, "blkio.throttle.read_iops_device", io.ThrottleReadIOPSDevice);
        Throttle(dir, "blkio.throttle.write_iops_device", io.ThrottleWriteIOPSDevice);
    }

    private void Throttle(string dir, string file, IReadOnlyList<LinuxThrottleDevice>? devices)
    {
        foreach (var device in devices ?? [])
        {
            _fs.Write(dir, file, $"{device.Major}:{device.Minor} {device.Rate}");
        }
    }

    /// <summary>hugetlb.&lt;size&gt;.limit_in_bytes, and the reservation limit beside it where the kernel has one.</summary>
    private void SetHugetlb(IReadOnlyList<LinuxHugepageLimit>? limits)
    {
        if (limits is not { Count: > 0 })
        {
            return;
        }
        foreach (var limit in limits)
        {
            var dir = Require("hugetlb", $"hugetlb limit `{limit.PageSize}`");
            var file = $"hugetlb.{ValidPageSize(limit.PageSize)}.limit_in_bytes";
            if (!CgroupFs.Exists(dir, file))
            {
                throw BerthException.InvalidArgument($"set hugetlb limit `{limit.PageSize}`: the kernel has no such page size (no `{CgroupFs.Join(dir, file)}`)");
            }
            _fs.Write(dir, file, Number(limit.Limit));
            _fs.WriteIfExists(dir, $"hugetlb.{limit.PageSize}.rsvd.limit_in_bytes", Number(limit.Limit));
        }
    }

    internal static string ValidPageSize(string pageSize) =>
        pageSize.Length > 2 && pageSize.EndsWith('B') && pageSize.All(char.IsAsciiLetterOrDigit)
            ? pageSize
            : throw BerthException.InvalidArgument($"set hugetlb limit `{pageSize}`: page size must look like `2MB` or `1GB`");

    private void SetNetwork(LinuxNetwork? network)
    {
        if (network is null)
        {
            return;
        }
        if (network.ClassID is { } classId)
        {
            _fs.Write(Require("net_cls", "network class id"), "net_cls.classid", Number(classId));
        }
        foreach (var priority in network.Priorities ?? [])
        {
            _fs.Write(Require("net_prio", "network priorities"), "net_prio.ifpriomap", $"{priority.Name} {priority.Priority}");
        }
    }

    private void SetRdma(IReadOnlyDictionary<string, LinuxRdma>? rdma)
    {
        if (rdma is not { Count: > 0 })
        {
            return;
        }
        var dir = Require("rdma", "rdma limits");
        foreach (var (device, limit) in rdma)
        {
            _fs.Write(dir, "rdma.max", RdmaLine(device, limit));
        }
    }

    internal static string RdmaLine(string device, LinuxRdma limit)
    {
        var line = new StringBuilder(device);
        line.Append(" hca_handle=").Append(limit.HcaHandles is { } h ? h.ToString(CultureInfo.InvariantCulture) : "max");
        line.Append(" hca_object=").Append(limit.HcaObjects is { } o ? o.ToString(CultureInfo.InvariantCulture) : "max");
        return line.ToString();
    }

    /// <summary>On a hybrid host the unified map goes to the cgroup2 directory, file by file, only where the file exists.</summary>
    private void SetUnified(IReadOnlyDictionary<string, string>? unified)
    {
        if (unified is not { Count: > 0 })
        {
            return;
        }
        var dir = Paths.Unified!;
        foreach (var (key, value) in unified)
        {
            V2.UnifiedKey.Check(key);
            if (!CgroupFs.Exists(dir, key))
            {
                throw BerthException.InvalidArgument($"set unified `{key}`: no such file in the hybrid cgroup v2 directory `{dir}` (the controller is bound to cgroup v1)");
            }
            _fs.Write(dir, key, value);
        }
    }
}
