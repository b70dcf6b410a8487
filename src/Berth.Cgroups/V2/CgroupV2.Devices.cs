using Berth.Cgroups.Devices;
using Berth.Oci.Runtime;

namespace Berth.Cgroups.V2;

internal sealed partial class CgroupV2
{
    /// <summary>
    /// v2 has no devices files: access is decided by an eBPF program of type
    /// BPF_PROG_TYPE_CGROUP_DEVICE attached to the cgroup (see <see cref="DeviceFilter"/>).
    /// </summary>
    private void SetDevices(IReadOnlyList<LinuxDeviceCgroup>? devices)
    {
        if (devices is null)
        {
            return;
        }
        var rules = devices.Select(DeviceRule.From).ToList();
        var program = DeviceFilter.Build(rules);
        if (_options.V2DeviceFilter)
        {
            DeviceFilter.Attach(_dir, program);
        }
    }
}
