using Berth.Cgroups;

namespace Berth.Cgroups.Tests;

/// <summary>
/// A temporary directory laid out like /sys/fs/cgroup, with the files the kernel would show,
/// and a log of every write the manager makes (regular files keep only the last write, and
/// devices.allow or io.max take several).
/// </summary>
public sealed class FakeTree : IDisposable
{
    public const string V1MountInfo = """
        25 30 0:23 / /sys rw,nosuid,nodev,noexec,relatime shared:7 - sysfs sysfs rw
        31 25 0:28 / /sys/fs/cgroup ro,nosuid,nodev,noexec shared:9 - tmpfs tmpfs ro,mode=755
        32 31 0:29 / /sys/fs/cgroup/unified rw,nosuid,nodev,noexec,relatime shared:10 - cgroup2 cgroup2 rw,nsdelegate
        33 31 0:30 / /sys/fs/cgroup/systemd rw,nosuid,nodev,noexec,relatime shared:11 - cgroup cgroup rw,xattr,name=systemd
        36 31 0:33 / /sys/fs/cgroup/cpu,cpuacct rw,nosuid,nodev,noexec,relatime shared:16 - cgroup cgroup rw,cpu,cpuacct
        37 31 0:34 / /sys/fs/cgroup/memory rw,nosuid,nodev,noexec,relatime shared:17 - cgroup cgroup rw,memory
        38 31 0:35 / /sys/fs/cgroup/cpuset rw,nosuid,nodev,noexec,relatime shared:18 - cgroup cgroup rw,cpuset
        39 31 0:36 / /sys/fs/cgroup/devices rw,nosuid,nodev,noexec,relatime shared:19 - cgroup cgroup rw,devices
        40 31 0:37 / /sys/fs/cgroup/freezer rw,nosuid,nodev,noexec,relatime shared:20 - cgroup cgroup rw,freezer
        41 31 0:38 / /sys/fs/cgroup/blkio rw,nosuid,nodev,noexec,relatime shared:21 - cgroup cgroup rw,blkio
        42 31 0:39 / /sys/fs/cgroup/pids rw,nosuid,nodev,noexec,relatime shared:22 - cgroup cgroup rw,pids
        """;

    public const string V1SelfCgroup = """
        9:pids:/user.slice/user-0.slice/session-1.scope
        8:blkio:/user.slice
        7:freezer:/
        6:devices:/user.slice
        5:cpuset:/
        4:memory:/user.slice/user-0.slice/session-1.scope
        3:cpu,cpuacct:/user.slice
        1:name=systemd:/user.slice/user-0.slice/session-1.scope
        0::/user.slice/user-0.slice/session-1.scope
        """;

    public const string V2MountInfo = """
        24 29 0:22 / /sys rw,nosuid,nodev,noexec,relatime shared:7 - sysfs sysfs rw
        29 1 8:1 / / rw,relatime shared:1 - ext4 /dev/sda1 rw,errors=remount-ro
        30 24 0:26 / /sys/fs/cgroup rw,nosuid,nodev,noexec,relatime shared:9 - cgroup2 cgroup2 rw,nsdelegate,memory_recursiveprot
        """;

    public const string V2SelfCgroup = "0::/user.slice/user-1000.slice/session-3.scope\n";

    public FakeTree()
    {
        Root = Path.Combine(Path.GetTempPath(), "berth-cgtest-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(Root);
    }

    public string Root { get; }

    public List<(string File, string Value)> Writes { get; } = [];

    public CgroupOptions Options(string mountInfo, string selfCgroup) => new()
    {
        MountInfo = mountInfo,
        SelfCgroup = selfCgroup,
        RootPrefix = Root,
        OnWrite = (file, value) => Writes.Add((file[Root.Length..], value)),
        V2DeviceFilter = false,
        FreezeTimeout = TimeSpan.FromMilliseconds(200),
    };

    public CgroupOptions V1Options => Options(V1MountInfo, V1SelfCgroup);

    public CgroupOptions V2Options => Options(V2MountInfo, V2SelfCgroup);

    /// <summary>The writes made to files under <paramref name="dir"/> (a path relative to the fake root), as "file=value".</summary>
    public List<string> WritesUnder(string dir) =>
        Writes.Where(w => w.File.StartsWith(dir + "/", StringComparison.Ordinal))
            .Select(w => w.File[(dir.Length + 1)..] + "=" + w.Value).ToList();

    public string Abs(string rel) => Root + rel;

    public void File(string rel, string content)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Abs(rel))!);
        System.IO.File.WriteAllText(Abs(rel), content);
    }

    public string Read(string rel) => System.IO.File.ReadAllText(Abs(rel));

    /// <summary>Makes the files a v1 controller directory has, at /sys/fs/cgroup/&lt;mount&gt;&lt;inner&gt;.</summary>
    public void V1Dir(string mount, string inner)
    {
        var dir = "/sys/fs/cgroup/" + mount + inner;
        File(dir + "/cgroup.procs", "");
        File(dir + "/tasks", "");
        switch (mount)
        {
            case "memory":
                foreach (var (name, value) in new[]
                {
                    ("memory.limit_in_bytes", "9223372036854771712"), ("memory.memsw.limit_in_bytes", "9223372036854771712"),
                    ("memory.soft_limit_in_bytes", "9223372036854771712"), ("memory.swappiness", "60"),
                    ("memory.oom_control", "oom_kill_disable 0\nunder_oom 0\noom_kill 0\n"), ("memory.usage_in_bytes", "0"),
                    ("memory.max_usage_in_bytes", "0"), ("memory.failcnt", "0"), ("memory.stat", "cache 0\nrss 0\n"),
                    ("memory.memsw.usage_in_bytes", "0"), ("memory.memsw.max_usage_in_bytes", "0"), ("memory.memsw.failcnt", "0"),
                })
                {
                    File(dir + "/" + name, value + "\n");
                }
                break;
            case "cpu,cpuacct":
                foreach (var (name, value) in new[]
                {
                    ("cpu.shares", "1024"), ("cpu.cfs_quota_us", "-1"), ("cpu.cfs_period_us", "100000"), ("cpu.cfs_burst_us", "0"),
                    ("cpu.rt_period_us", "1000000"), ("cpu.rt_runtime_us", "0"), ("cpu.idle", "0"),
                    ("cpu.stat", "nr_periods 0\nnr_throttled 0\nthrottled_time 0"), ("cpuacct.usage", "0"),
                    ("cpuacct.usage_percpu", "0 0"), ("cpuacct.stat", "user 0\nsystem 0"),
                })
                {
                    File(dir + "/" + name, value + "\n");
                }
                break;
            case "cpuset":
                File(dir + "/cpuset.cpus", "\n");
                File(dir + "/cpuset.mems", "\n");
                break;
            case "pids":
                File(dir + "/pids.max", "max\n");
                File(dir + "/pids.current", "0\n");
                break;
            case "devices":
                File(dir + "/devices.allow", "");
                File(dir + "/devices.deny", "");
                File(dir + "/devices.list", "a *:* rwm\n");
                break;
            case "freezer":
                File(dir + "/freezer.state", "THAWED\n");
                File(dir + "/freezer.self_freezing", "0\n");
                break;
            case "blkio":
                foreach (var name in new[] { "blkio.bfq.weight", "blkio.bfq.weight_device", "blkio.throttle.read_bps_device", "blkio.throttle.write_bps_device", "blkio.throttle.read_iops_device", "blkio.throttle.write_iops_device" })
                {
                    File(dir + "/" + name, "");
                }
                break;
        }
    }

    public static readonly string[] V1Mounts = ["cpu,cpuacct", "memory", "cpuset", "devices", "freezer", "blkio", "pids", "systemd", "unified"];

    /// <summary>The v1 tree: each hierarchy's root (cpuset with CPUs and nodes to inherit) and, when given, a container's directories.</summary>
    public void V1Tree(string? inner = null)
    {
        foreach (var mount in V1Mounts)
        {
            V1Dir(mount, "");
        }
        File("/sys/fs/cgroup/cpuset/cpuset.cpus", "0-3\n");
        File("/sys/fs/cgroup/cpuset/cpuset.mems", "0\n");
        if (inner is not null)
        {
            foreach (var mount in V1Mounts)
            {
                V1Dir(mount, inner);
            }
        }
    }

    public const string V2Controllers = "cpuset cpu io memory hugetlb pids rdma misc";

    /// <summary>A v2 cgroup directory with the files the kernel shows when all controllers are enabled for it.</summary>
    public void V2Dir(string inner, bool leaf = true)
    {
        var dir = "/sys/fs/cgroup" + inner;
        File(dir + "/cgroup.controllers", V2Controllers + "\n");
        File(dir + "/cgroup.subtree_control", "\n");
        File(dir + "/cgroup.procs", "");
        if (inner.Length == 0 || !leaf)
        {
            return;
        }
        foreach (var (name, value) in new[]
        {
            ("memory.max", "max"), ("memory.low", "0"), ("memory.swap.max", "max"), ("memory.current", "0"),
            ("cpu.weight", "100"), ("cpu.max", "max 100000"), ("cpu.max.burst", "0"), ("cpu.idle", "0"),
            ("cpuset.cpus", ""), ("cpuset.mems", ""), ("pids.max", "max"), ("pids.current", "0"),
            ("io.weight", "default 100"), ("io.max", ""), ("hugetlb.2MB.max", "max"), ("hugetlb.1GB.max", "max"),
            ("cgroup.freeze", "0"), ("cgroup.events", "populated 0\nfrozen 0"), ("memory.oom.group", "0"),
        })
        {
            File(dir + "/" + name, value + "\n");
        }
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
