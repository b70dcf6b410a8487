using System.Globalization;
using Berth.Errdefs;
using Berth.Oci.Runtime;

namespace Berth.Cgroups.Devices;

/// <summary>
/// A validated device cgroup rule. <see cref="Type"/> is 'a' (all), 'c' or 'b'; a major or
/// minor of -1 means any; <see cref="Access"/> is a non-empty subset of "rwm".
/// </summary>
internal sealed record DeviceRule(bool Allow, char Type, long Major, long Minor, string Access)
{
    public static DeviceRule From(LinuxDeviceCgroup rule)
    {
        var type = rule.Type switch
        {
            null or "" or "a" => 'a',
            "c" => 'c',
            "b" => 'b',
            _ => throw BerthException.InvalidArgument($"device rule `{rule.Type}`: type must be `a`, `b` or `c`"),
        };
        var access = string.IsNullOrEmpty(rule.Access) ? "rwm" : rule.Access;
        if (access.Any(c => c is not ('r' or 'w' or 'm')) || access.Distinct().Count() != access.Length)
        {
            throw BerthException.InvalidArgument($"device rule access `{access}`: must be a combination of `r`, `w` and `m`");
        }
        var major = rule.Major ?? -1;
        var minor = rule.Minor ?? -1;
        if (major < -1 || major > uint.MaxValue || minor < -1 || minor > uint.MaxValue)
        {
            throw BerthException.InvalidArgument($"device rule `{major}:{minor}`: number out of range");
        }
        return new DeviceRule(rule.Allow, type, major, minor, access);
    }

    /// <summary>The line cgroup v1 devices.allow/devices.deny take: "c 1:3 rwm", "a *:* rwm".</summary>
    public string V1Line => $"{Type} {Number(Major)}:{Number(Minor)} {Access}";

    private static string Number(long n) => n < 0 ? "*" : n.ToString(CultureInfo.InvariantCulture);
}
