using Berth.Errdefs;
using Berth.Oci.Runtime;
using Berth.Seccomp;

namespace Berth.Engine.Spec;

public static partial class SpecBuilder
{
    public static readonly IReadOnlyList<string> DefaultMaskedPaths =
    [
        "/proc/asound", "/proc/acpi", "/proc/interrupts", "/proc/kcore", "/proc/keys", "/proc/latency_stats",
        "/proc/timer_list", "/proc/timer_stats", "/proc/sched_debug", "/proc/scsi", "/sys/firmware",
        "/sys/devices/virtual/powercap",
    ];

    public static readonly IReadOnlyList<string> DefaultReadonlyPaths =
        ["/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger"];

    private static readonly HashSet<string> NamespacedSysctls =
    [
        "kernel.msgmax", "kernel.msgmnb", "kernel.msgmni", "kernel.sem", "kernel.shmall", "kernel.shmmax",
        "kernel.shmmni", "kernel.shm_rmid_forced",
    ];

    private static Berth.Oci.Runtime.Linux BuildLinux(
        SpecInput input, bool hostNetwork, IReadOnlyList<string> caps, SecurityOptions security,
        IReadOnlyList<Mount> mounts, out bool allHostDevices)
    {
        var c = input.Container;
        var hc = c.HostConfig;
        var resources = ResourceMapper.Map(hc);
        var devices = new List<LinuxDevice>();
        allHostDevices = hc.Privileged;
        if (hc.Privileged)
        {
            resources = resources with { Devices = DefaultDevices.PrivilegedRules() };
        }
        else
        {
            var rules = DefaultDevices.CgroupRules().ToList();
            foreach (var mapping in hc.Devices ?? [])
            {
                var perms = mapping.CgroupPermissions.Length > 0 ? mapping.CgroupPermissions : "rwm";
                if (perms.Any(ch => ch is not ('r' or 'w' or 'm')))
                    throw BerthException.InvalidArgument($"invalid device mode: {perms}");
                var node = input.HostFiles.StatDevice(mapping.PathOnHost) ?? throw BerthException.InvalidArgument(
                    $"error gathering device information while adding custom device \"{mapping.PathOnHost}\": not a device node");
                var inContainer = mapping.PathInContainer.Length > 0 ? mapping.PathInContainer : mapping.PathOnHost;
                devices.Add(node with { Path = inContainer });
                rules.Add(new LinuxDeviceCgroup { Allow = true, Type = node.Type, Major = node.Major, Minor = node.Minor, Access = perms });
            }
            resources = resources with { Devices = rules };
        }

        return new Berth.Oci.Runtime.Linux
        {
            Resources = resources,
            CgroupsPath = CgroupsPath(input),
            Namespaces = Namespaces(input, hostNetwork),
            Devices = devices.Count > 0 ? devices : null,
            Seccomp = Seccomp(input, caps, security),
            Sysctl = Sysctls(hc.Sysctls, hostNetwork, hc.IpcMode == "host", hc.UTSMode == "host"),
            MaskedPaths = hc.Privileged ? null : hc.MaskedPaths ?? DefaultMaskedPaths,
            ReadonlyPaths = hc.Privileged ? null : hc.ReadonlyPaths ?? DefaultReadonlyPaths,
            RootfsPropagation = RootfsPropagation(mounts),
        };
    }

    private static string CgroupsPath(SpecInput input)
    {
        var (id, parent) = (input.Container.Id, input.Container.HostConfig.CgroupParent);
        switch (input.CgroupDriver)
        {
            case "cgroupfs":
                // filepath.Join(parent, id): a relative parent stays relative.
                var joined = Berth.Linux.Files.RootPath.Clean((parent.Length > 0 ? parent : "/berth") + "/" + id);
                return parent.Length == 0 || parent.StartsWith('/') ? joined : joined[1..];
            case "systemd":
                if (parent.Length > 0 && !parent.EndsWith(".slice", StringComparison.Ordinal))
                    throw BerthException.InvalidArgument("cgroup-parent for systemd cgroup should be a valid slice named as \"xxx.slice\"");
                return (parent.Length > 0 ? parent : "system.slice") + ":berth:" + id;
            default:
                throw BerthException.InvalidArgument($"cgroup driver `{input.CgroupDriver}` is unknown (cgroupfs or systemd)");
        }
    }

    /// <summary>Docker's order: mount, network, uts, pid, ipc, then cgroup.</summary>
    private static List<LinuxNamespace> Namespaces(SpecInput input, bool hostNetwork)
    {
        var hc = input.Container.HostConfig;
        var namespaces = new List<LinuxNamespace> { new() { Type = NamespaceType.Mount } };
        if (!hostNetwork)
            namespaces.Add(new() { Type = NamespaceType.Network });
        if (hc.UTSMode != "host")
            namespaces.Add(new() { Type = NamespaceType.Uts });
        switch (hc.PidMode)
        {
            case "":
                namespaces.Add(new() { Type = NamespaceType.Pid });
                break;
            case "host":
                break;
            default:
                throw hc.PidMode.StartsWith("container:", StringComparison.Ordinal)
                    ? new BerthException(ErrorKind.NotImplemented, $"pid mode `{hc.PidMode}`: sharing another container's pid namespace is not supported yet")
                    : BerthException.InvalidArgument($"invalid PID mode: {hc.PidMode}");
        }
        if (hc.IpcMode != "host")
            namespaces.Add(new() { Type = NamespaceType.Ipc });
        var cgroupns = hc.CgroupnsMode switch
        {
            "" => input.CgroupV2,
            "private" => true,
            "host" => false,
            var other => throw BerthException.InvalidArgument($"invalid cgroup namespace mode: {other}"),
        };
        if (cgroupns)
            namespaces.Add(new() { Type = NamespaceType.Cgroup });
        if (hc.UsernsMode is not ("" or "host"))
            throw new BerthException(ErrorKind.NotImplemented, $"userns mode `{hc.UsernsMode}`: user namespaces are not supported yet");
        return namespaces;
    }

    private static LinuxSeccomp? Seccomp(SpecInput input, IReadOnlyList<string> caps, SecurityOptions security)
    {
        if (input.Container.HostConfig.Privileged || security.Seccomp == "unconfined")
            return null;
        var arch = input.Arch ?? SyscallTable.Native;
        if (string.IsNullOrEmpty(security.Seccomp) || security.Seccomp == "builtin")
            return SeccompProfiles.Default(caps, arch, input.KernelVersion);
        var text = security.Seccomp.TrimStart().StartsWith('{')
            ? security.Seccomp
            : input.HostFiles.ReadText(security.Seccomp)
                ?? throw BerthException.InvalidArgument($"opening seccomp profile ({security.Seccomp}) failed: no such file");
        return SeccompProfiles.Resolve(SeccompProfiles.Parse(text), caps, arch, input.KernelVersion);
    }

    /// <summary>
    /// Docker's sysctl rules: only namespaced keys (IPC ones, fs.mqueue.*, net.* and
    /// kernel.domainname/hostname), none of a namespace shared with the host; and in a private
    /// network namespace unprivileged ports and ping are opened unless the user set them.
    /// </summary>
    private static Dictionary<string, string>? Sysctls(
        IReadOnlyDictionary<string, string>? given, bool hostNetwork, bool hostIpc, bool hostUts)
    {
        var sysctls = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in given ?? new Dictionary<string, string>())
        {
            var ipc = NamespacedSysctls.Contains(key) || key.StartsWith("fs.mqueue.", StringComparison.Ordinal);
            var net = key.StartsWith("net.", StringComparison.Ordinal);
            var uts = key is "kernel.domainname" or "kernel.hostname";
            if (!ipc && !net && !uts)
                throw BerthException.InvalidArgument($"sysctl '{key}' is not allowed");
            if ((ipc && hostIpc) || (net && hostNetwork) || (uts && hostUts))
                throw BerthException.InvalidArgument($"sysctl '{key}' is not allowed in host {(ipc ? "IPC" : net ? "network" : "UTS")} namespace");
            sysctls[key] = value;
        }
        if (!hostNetwork)
        {
            sysctls.TryAdd("net.ipv4.ip_unprivileged_port_start", "0");
            sysctls.TryAdd("net.ipv4.ping_group_range", "0 2147483647");
        }
        return sysctls.Count > 0 ? sysctls : null;
    }

    /// <summary>A shared or slave bind needs the rootfs to propagate too (docker sets rshared or rslave).</summary>
    private static string? RootfsPropagation(IReadOnlyList<Mount> mounts)
    {
        var options = mounts.Where(m => m.Type == "bind").SelectMany(m => m.Options ?? []).ToList();
        if (options.Any(o => o is "shared" or "rshared"))
            return "rshared";
        if (options.Any(o => o is "slave" or "rslave"))
            return "rslave";
        return null;
    }
}
