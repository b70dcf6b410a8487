using Berth.Oci.Runtime;
using OciLinux = Berth.Oci.Runtime.Linux;
using OciProcess = Berth.Oci.Runtime.Process;

namespace Berth.Runtime.IntegrationTests.Harness;

/// <summary>
/// The configuration <c>runc spec</c> writes (runc 1.1), with two changes tests need: no
/// terminal (stdio is a file) and a writable rootfs (each test has its own copy), plus a
/// cgroupsPath private to the container so cleanup can be checked.
/// </summary>
public static class DefaultSpec
{
    public static readonly IReadOnlyList<string> Capabilities = ["CAP_AUDIT_WRITE", "CAP_KILL", "CAP_NET_BIND_SERVICE"];

    public static readonly IReadOnlyList<string> MaskedPaths =
    [
        "/proc/acpi", "/proc/asound", "/proc/kcore", "/proc/keys", "/proc/latency_stats",
        "/proc/timer_list", "/proc/timer_stats", "/proc/sched_debug", "/sys/firmware", "/proc/scsi",
    ];

    public static readonly IReadOnlyList<string> ReadonlyPaths =
        ["/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger"];

    public static Spec Create(string cgroupsPath) => new()
    {
        OciVersion = "1.0.2-dev",
        Process = new OciProcess
        {
            Terminal = false,
            User = new User { Uid = 0, Gid = 0 },
            Args = ["sh"],
            Env = ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "TERM=xterm"],
            Cwd = "/",
            Capabilities = new LinuxCapabilities
            {
                Bounding = Capabilities,
                Effective = Capabilities,
                Permitted = Capabilities,
                Ambient = Capabilities,
            },
            Rlimits = [new PosixRlimit { Type = "RLIMIT_NOFILE", Hard = 1024, Soft = 1024 }],
            NoNewPrivileges = true,
        },
        Root = new Root { Path = "rootfs", Readonly = false },
        Hostname = "runc",
        Mounts =
        [
            new Mount { Destination = "/proc", Type = "proc", Source = "proc" },
            new Mount
            {
                Destination = "/dev", Type = "tmpfs", Source = "tmpfs",
                Options = ["nosuid", "strictatime", "mode=755", "size=65536k"],
            },
            new Mount
            {
                Destination = "/dev/pts", Type = "devpts", Source = "devpts",
                Options = ["nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", "gid=5"],
            },
            new Mount
            {
                Destination = "/dev/shm", Type = "tmpfs", Source = "shm",
                Options = ["nosuid", "noexec", "nodev", "mode=1777", "size=65536k"],
            },
            new Mount
            {
                Destination = "/dev/mqueue", Type = "mqueue", Source = "mqueue",
                Options = ["nosuid", "noexec", "nodev"],
            },
            new Mount
            {
                Destination = "/sys", Type = "sysfs", Source = "sysfs",
                Options = ["nosuid", "noexec", "nodev", "ro"],
            },
            new Mount
            {
                Destination = "/sys/fs/cgroup", Type = "cgroup", Source = "cgroup",
                Options = ["nosuid", "noexec", "nodev", "relatime", "ro"],
            },
        ],
        Linux = new OciLinux
        {
            CgroupsPath = cgroupsPath,
            Resources = new LinuxResources
            {
                Devices = [new LinuxDeviceCgroup { Allow = false, Access = "rwm" }],
            },
            Namespaces =
            [
                new LinuxNamespace { Type = "pid" },
                new LinuxNamespace { Type = "network" },
                new LinuxNamespace { Type = "ipc" },
                new LinuxNamespace { Type = "uts" },
                new LinuxNamespace { Type = "mount" },
            ],
            MaskedPaths = MaskedPaths,
            ReadonlyPaths = ReadonlyPaths,
        },
    };
}
