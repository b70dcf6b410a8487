using Berth.Errdefs;
using Berth.Oci.Runtime;

namespace Berth.Engine.Spec;

public static partial class SpecBuilder
{
    public const long DefaultShmSize = 64 * 1024 * 1024;

    private sealed record MountsResult(IReadOnlyList<Mount> Mounts, IReadOnlyList<SpecFile> Files, MountPlan User);

    /// <summary>
    /// Docker's mount list: its defaults (minus any a user mount replaces), then the network
    /// files and the user's mounts sorted by depth so a parent is mounted before its children,
    /// then the init binary.
    /// </summary>
    private static MountsResult BuildMounts(SpecInput input, bool hostNetwork, string hostname, SecurityOptions security, bool useInit)
    {
        var hc = input.Container.HostConfig;
        var user = MountPlanner.Plan(hc, input.HostFiles);
        var userDestinations = user.Mounts.Select(m => m.Destination).ToHashSet(StringComparer.Ordinal);

        string[] ro = hc.Privileged ? [] : ["ro"];
        string[] cgroupRo = hc.Privileged || security.WritableCgroups == true ? [] : ["ro"];
        var defaults = new List<Mount>
        {
            new() { Destination = "/proc", Type = "proc", Source = "proc", Options = ["nosuid", "noexec", "nodev"] },
            new() { Destination = "/dev", Type = "tmpfs", Source = "tmpfs", Options = ["nosuid", "strictatime", "mode=755", "size=65536k"] },
            new() { Destination = "/dev/pts", Type = "devpts", Source = "devpts", Options = ["nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", "gid=5"] },
            new() { Destination = "/sys", Type = "sysfs", Source = "sysfs", Options = ["nosuid", "noexec", "nodev", .. ro] },
            new() { Destination = "/sys/fs/cgroup", Type = "cgroup", Source = "cgroup", Options = [.. cgroupRo, "nosuid", "noexec", "nodev"] },
            new() { Destination = "/dev/mqueue", Type = "mqueue", Source = "mqueue", Options = ["nosuid", "noexec", "nodev"] },
        };
        if (hc.ShmSize < 0)
            throw BerthException.InvalidArgument("SHM size can not be less than 0");
        switch (hc.IpcMode)
        {
            case "" or "private" or "shareable":
                var size = hc.ShmSize > 0 ? hc.ShmSize : DefaultShmSize;
                defaults.Add(new Mount
                {
                    Destination = "/dev/shm", Type = "tmpfs", Source = "shm",
                    Options = ["nosuid", "noexec", "nodev", "mode=1777", $"size={size}"],
                });
                break;
            case "host":
                defaults.Add(new Mount { Destination = "/dev/shm", Type = "bind", Source = "/dev/shm", Options = ["rbind", "rprivate"] });
                break;
            case "none":
                break;
            default:
                throw IpcMode(hc.IpcMode);
        }

        var files = new List<SpecFile>();
        var network = new List<Mount>();
        string[] fileOptions = hc.ReadonlyRootfs ? ["rbind", "ro", "rprivate"] : ["rbind", "rprivate"];
        void File(string name, string destination, string content)
        {
            // A user mount on the same destination wins, as in docker.
            if (userDestinations.Contains(destination))
                return;
            var path = System.IO.Path.Combine(input.ContainerDirectory, name);
            files.Add(new SpecFile { Name = name, Path = path, Destination = destination, Content = content });
            network.Add(new Mount { Destination = destination, Type = "bind", Source = path, Options = fileOptions });
        }
        File("resolv.conf", "/etc/resolv.conf",
            NetworkFiles.ResolvConf(input.HostResolvConf, hostNetwork, hc.Dns, hc.DnsSearch, hc.DnsOptions));
        File("hostname", "/etc/hostname", hostname + "\n");
        File("hosts", "/etc/hosts", NetworkFiles.Hosts(hostNetwork, input.HostHosts, hc.ExtraHosts, input.HostGatewayIp));

        var ordered = network.Concat(user.Mounts).OrderBy(m => m.Destination.Split('/').Length).ToList();
        var mounts = defaults.Where(m => !userDestinations.Contains(m.Destination)).Concat(ordered).ToList();
        if (useInit)
        {
            if (userDestinations.Contains(InitDestination))
                throw BerthException.InvalidArgument($"Duplicate mount point: {InitDestination}");
            mounts.Add(new Mount { Destination = InitDestination, Type = "bind", Source = input.InitPath, Options = ["bind", "ro"] });
        }
        return new MountsResult(mounts, files, user);
    }

    private static BerthException IpcMode(string mode) => mode.StartsWith("container:", StringComparison.Ordinal)
        ? new BerthException(ErrorKind.NotImplemented, $"ipc mode `{mode}`: sharing another container's ipc namespace is not supported yet")
        : BerthException.InvalidArgument($"invalid IPC mode: {mode}");
}
