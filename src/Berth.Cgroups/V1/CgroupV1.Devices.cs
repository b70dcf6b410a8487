using Berth.Cgroups.Devices;
using Berth.Oci.Runtime;

namespace Berth.Cgroups.V1;

internal sealed partial class CgroupV1
{
    /// <summary>
    /// Device rules as runc writes them: deny everything ("a" to devices.deny), then each rule
    /// in order to devices.allow or devices.deny, so later rules override earlier ones. The
    /// caller passes the default devices (/dev/null, /dev/zero, …) in the rules. On `update`
    /// of a running container this briefly denies all devices between the first write and the
    /// allows (runc avoids that by computing the difference; Berth does not yet).
    /// </summary>
    private void SetDevices(IReadOnlyList<LinuxDeviceCgroup>? devices)
    {
        if (devices is null)
        {
            return;
        }
        var rules = devices.Select(DeviceRule.From).ToList();
        var dir = Require("devices", "device rules");
        _fs.Write(dir, "devices.deny", "a");
        foreach (var rule in rules)
        {
            _fs.Write(dir, rule.Allow ? "devices.allow" : "devices.deny", rule.V1Line);
        }
    }
}
