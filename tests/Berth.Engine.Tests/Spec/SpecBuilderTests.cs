using Berth.Engine.Model;
using Berth.Engine.Spec;
using Berth.Errdefs;
using Berth.Oci.Image;
using Berth.Oci.Runtime;
using Berth.Seccomp;

namespace Berth.Engine.Tests.Spec;

public sealed class SpecBuilderTests
{
    private const string Id = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    private static readonly ImageConfig Busybox = new()
    {
        Config = new ContainerConfig { Env = ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"], Cmd = ["sh"] },
    };

    private static SpecInput Input(Config? config = null, HostConfig? host = null, FakeHost? files = null) => new()
    {
        Container = new ContainerRecord { Id = Id, Config = config ?? new Config(), HostConfig = host ?? new HostConfig() },
        Image = Busybox,
        RootfsPath = "/var/lib/berth/overlay/x/merged",
        ContainerDirectory = "/var/lib/berth/containers/" + Id,
        RootfsUsers = FakeUsers.Standard,
        HostFiles = files ?? new FakeHost(),
        HostResolvConf = "nameserver 127.0.0.53\n",
        HostHosts = "127.0.0.1 localhost myhost\n",
        HostHostname = "myhost",
        CgroupV2 = true,
        Arch = SeccompArch.X86_64,
    };

    private static Berth.Oci.Runtime.Spec Spec(Config? config = null, HostConfig? host = null) =>
        SpecBuilder.Build(Input(config, host)).Spec;

    [Fact]
    public void Default_busybox_run_matches_docker()
    {
        var plan = SpecBuilder.Build(Input());
        var spec = plan.Spec;
        var p = spec.Process!;
        Assert.Equal(["sh"], p.Args);
        Assert.Equal(["PATH=" + EnvMerge.DefaultPath, "HOSTNAME=0123456789ab", "HOME=/root"], p.Env);
        Assert.Equal("/", p.Cwd);
        Assert.False(p.Terminal);
        Assert.Equal(0u, p.User.Uid);
        Assert.Equal([10u], p.User.AdditionalGids);
        Assert.Equal(CapabilitySet.Default, p.Capabilities!.Bounding);
        Assert.Equal(CapabilitySet.Default, p.Capabilities.Effective);
        Assert.Equal(CapabilitySet.Default, p.Capabilities.Permitted);
        Assert.Null(p.Capabilities.Inheritable);
        Assert.Null(p.Capabilities.Ambient);
        Assert.Equal(0, p.OomScoreAdj);
        Assert.False(p.NoNewPrivileges);
        Assert.Equal("0123456789ab", spec.Hostname);
        Assert.Equal(new Root { Path = "/var/lib/berth/overlay/x/merged", Readonly = false }, spec.Root);

        Assert.Equal(
            ["/proc", "/dev", "/dev/pts", "/sys", "/sys/fs/cgroup", "/dev/mqueue", "/dev/shm", "/etc/resolv.conf", "/etc/hostname", "/etc/hosts"],
            spec.Mounts!.Select(m => m.Destination));
        Assert.Equal("nosuid,noexec,nodev,ro", string.Join(',', spec.Mounts![3].Options!));
        Assert.Equal("ro,nosuid,noexec,nodev", string.Join(',', spec.Mounts[4].Options!));
        Assert.Equal("nosuid,noexec,nodev,mode=1777,size=67108864", string.Join(',', spec.Mounts[6].Options!));
        var hosts = spec.Mounts[9];
        Assert.Equal($"/var/lib/berth/containers/{Id}/hosts", hosts.Source);
        Assert.Equal("rbind,rprivate", string.Join(',', hosts.Options!));

        Assert.Equal(["resolv.conf", "hostname", "hosts"], plan.Files.Select(f => f.Name));
        Assert.Equal("nameserver 8.8.8.8\nnameserver 8.8.4.4\n", plan.Files[0].Content);
        Assert.Equal("0123456789ab\n", plan.Files[1].Content);
        Assert.StartsWith("127.0.0.1\tlocalhost\n", plan.Files[2].Content);

        var linux = spec.Linux!;
        Assert.Equal(["mount", "network", "uts", "pid", "ipc", "cgroup"], linux.Namespaces!.Select(n => n.Type));
        Assert.Equal("/berth/" + Id, linux.CgroupsPath);
        Assert.Equal(SpecBuilder.DefaultMaskedPaths, linux.MaskedPaths);
        Assert.Equal(SpecBuilder.DefaultReadonlyPaths, linux.ReadonlyPaths);
        Assert.Equal("SCMP_ACT_ERRNO", linux.Seccomp!.DefaultAction);
        Assert.Null(linux.Devices);
        Assert.Equal(DefaultDevices.CgroupRules(), linux.Resources!.Devices);
        Assert.Null(linux.Resources.Memory);
        Assert.Null(linux.Resources.Cpu);
        Assert.Equal("0", linux.Sysctl!["net.ipv4.ip_unprivileged_port_start"]);
        Assert.False(plan.AllHostDevices);
        Assert.Empty(plan.MountPoints);
    }

    [Fact]
    public void Spec_serialises_with_the_runtime_context()
    {
        var json = System.Text.Json.JsonSerializer.Serialize(Spec(), RuntimeJsonContext.Default.Spec);
        var back = SpecLoader.Parse(System.Text.Encoding.UTF8.GetBytes(json));
        Assert.Equal("0123456789ab", back.Hostname);
    }

    [Fact]
    public void Privileged_has_everything_and_no_confinement()
    {
        var plan = SpecBuilder.Build(Input(host: new HostConfig { Privileged = true }));
        var spec = plan.Spec;
        Assert.Equal(CapabilitySet.All, spec.Process!.Capabilities!.Bounding);
        Assert.Null(spec.Linux!.Seccomp);
        Assert.Null(spec.Linux.MaskedPaths);
        Assert.Null(spec.Linux.ReadonlyPaths);
        Assert.Equal("nosuid,noexec,nodev", string.Join(',', spec.Mounts!.Single(m => m.Destination == "/sys").Options!));
        Assert.Equal("nosuid,noexec,nodev", string.Join(',', spec.Mounts!.Single(m => m.Destination == "/sys/fs/cgroup").Options!));
        Assert.True(plan.AllHostDevices);
        Assert.Equal([new LinuxDeviceCgroup { Allow = true, Access = "rwm" }], spec.Linux.Resources!.Devices);
    }

    [Fact]
    public void Host_network_pid_ipc_uts()
    {
        var plan = SpecBuilder.Build(Input(host: new HostConfig { NetworkMode = "host", PidMode = "host", IpcMode = "host", CgroupnsMode = "host" }));
        var spec = plan.Spec;
        Assert.Equal(["mount", "uts"], spec.Linux!.Namespaces!.Select(n => n.Type));
        Assert.Equal("myhost", spec.Hostname);
        Assert.Contains("HOSTNAME=myhost", spec.Process!.Env!);
        Assert.Equal("nameserver 127.0.0.53\n", plan.Files[0].Content);
        Assert.Equal("127.0.0.1 localhost myhost\n", plan.Files[2].Content);
        Assert.Null(spec.Linux.Sysctl);
        Assert.Equal("bind", spec.Mounts!.Single(m => m.Destination == "/dev/shm").Type);

        var uts = Spec(host: new HostConfig { UTSMode = "host" });
        Assert.Null(uts.Hostname);
        Assert.DoesNotContain(uts.Linux!.Namespaces!, n => n.Type == "uts");
    }

    [Fact]
    public void Cgroupns_follows_host_version_unless_given()
    {
        var v1 = SpecBuilder.Build(Input() with { CgroupV2 = false }).Spec;
        Assert.DoesNotContain(v1.Linux!.Namespaces!, n => n.Type == "cgroup");
        var priv = SpecBuilder.Build(Input(host: new HostConfig { CgroupnsMode = "private" }) with { CgroupV2 = false }).Spec;
        Assert.Contains(priv.Linux!.Namespaces!, n => n.Type == "cgroup");
    }

    [Fact]
    public void Process_settings()
    {
        var spec = Spec(
            new Config { Tty = true, User = "app", WorkingDir = "/srv/./app/", Hostname = "web", Domainname = "example.com", Env = ["A=1"] },
            new HostConfig
            {
                ConsoleSize = [40, 120], OomScoreAdj = 500, SecurityOpt = ["no-new-privileges:true"],
                Ulimits = [new Ulimit { Name = "nofile", Soft = 1024, Hard = 2048 }, new Ulimit { Name = "nproc", Soft = -1, Hard = -1 }],
                CapDrop = ["ALL"], CapAdd = ["net_bind_service"], GroupAdd = ["staff"],
            });
        var p = spec.Process!;
        Assert.True(p.Terminal);
        Assert.Equal(new Box { Height = 40, Width = 120 }, p.ConsoleSize);
        Assert.Equal("/srv/app", p.Cwd);
        Assert.Equal(1000u, p.User.Uid);
        Assert.Equal([10u, 29u, 50u], p.User.AdditionalGids);
        Assert.Equal(["PATH=" + EnvMerge.DefaultPath, "HOSTNAME=web", "TERM=xterm", "A=1", "HOME=/home/app"], p.Env);
        Assert.Equal(500, p.OomScoreAdj);
        Assert.True(p.NoNewPrivileges);
        Assert.Equal(["CAP_NET_BIND_SERVICE"], p.Capabilities!.Bounding);
        Assert.Equal(
            [new PosixRlimit { Type = "RLIMIT_NOFILE", Soft = 1024, Hard = 2048 }, new PosixRlimit { Type = "RLIMIT_NPROC", Soft = ulong.MaxValue, Hard = ulong.MaxValue }],
            p.Rlimits);
        Assert.Equal("web", spec.Hostname);
        Assert.Equal("example.com", spec.Domainname);
    }

    [Fact]
    public void Image_user_and_workdir_apply_when_the_container_has_none()
    {
        var input = Input() with { Image = new ImageConfig { Config = new ContainerConfig { User = "nobody", WorkingDir = "/w", Cmd = ["x"] } } };
        var p = SpecBuilder.Build(input).Spec.Process!;
        Assert.Equal(65534u, p.User.Uid);
        Assert.Equal("/w", p.Cwd);
    }

    [Fact]
    public void Resources()
    {
        var r = Spec(host: new HostConfig
        {
            Memory = 256 << 20, MemoryReservation = 128 << 20, NanoCpus = 1_500_000_000, CpuShares = 512,
            CpusetCpus = "0-1", CpusetMems = "0", PidsLimit = 100, OomKillDisable = true,
        }).Linux!.Resources!;
        Assert.Equal(256L << 20, r.Memory!.Limit);
        Assert.Equal(512L << 20, r.Memory.Swap);
        Assert.Equal(128L << 20, r.Memory.Reservation);
        Assert.True(r.Memory.DisableOOMKiller);
        Assert.Equal(100_000ul, r.Cpu!.Period);
        Assert.Equal(150_000L, r.Cpu.Quota);
        Assert.Equal(512ul, r.Cpu.Shares);
        Assert.Equal("0-1", r.Cpu.Cpus);
        Assert.Equal(100, r.Pids!.Limit);

        Assert.Null(Spec(host: new HostConfig { PidsLimit = -1 }).Linux!.Resources!.Pids);
        var explicitQuota = Spec(host: new HostConfig { CpuQuota = 50_000, CpuPeriod = 200_000, MemorySwap = -1, Memory = 64 << 20 }).Linux!.Resources!;
        Assert.Equal(50_000L, explicitQuota.Cpu!.Quota);
        Assert.Equal(200_000ul, explicitQuota.Cpu.Period);
        Assert.Equal(-1L, explicitQuota.Memory!.Swap);
    }

    [Fact]
    public void User_mounts_sorted_after_defaults_with_network_files_and_init_last()
    {
        var files = new FakeHost();
        var plan = SpecBuilder.Build(Input(host: new HostConfig
        {
            Binds = ["/srv/data:/data/deep/er", "/srv/data:/etc:ro", "/srv/new:/dev/shm"],
            Init = true,
            ReadonlyRootfs = true,
        }, files: files));
        var destinations = plan.Spec.Mounts!.Select(m => m.Destination).ToList();
        Assert.Equal(
            ["/proc", "/dev", "/dev/pts", "/sys", "/sys/fs/cgroup", "/dev/mqueue",
             "/etc", "/etc/resolv.conf", "/etc/hostname", "/etc/hosts", "/dev/shm", "/data/deep/er", "/sbin/docker-init"],
            destinations);
        Assert.Equal("rbind,ro,rprivate", string.Join(',', plan.Spec.Mounts![7].Options!));
        var init = plan.Spec.Mounts[^1];
        Assert.Equal(("bind", "/usr/bin/tini-static"), (init.Type, init.Source));
        Assert.Equal(["bind", "ro"], init.Options);
        Assert.Equal(["/sbin/docker-init", "--", "sh"], plan.Spec.Process!.Args);
        Assert.True(plan.Spec.Root!.Readonly);
        Assert.Equal(["/srv/new"], plan.CreateDirectories);
        Assert.Equal(3, plan.MountPoints.Count);
    }

    [Fact]
    public void User_mount_on_etc_hosts_replaces_the_generated_file()
    {
        var plan = SpecBuilder.Build(Input(host: new HostConfig { Binds = ["/srv/data:/etc/hosts"] }));
        Assert.DoesNotContain(plan.Files, f => f.Name == "hosts");
        Assert.Single(plan.Spec.Mounts!, m => m.Destination == "/etc/hosts");
    }

    [Fact]
    public void Missing_init_names_the_package()
    {
        var files = new FakeHost();
        files.Existing.Clear();
        var e = Assert.Throws<BerthException>(() => SpecBuilder.Build(Input(host: new HostConfig { Init = true }, files: files)));
        Assert.Equal(ErrorKind.FailedPrecondition, e.Kind);
        Assert.Contains("`tini`", e.Message);
    }

    [Fact]
    public void Devices_are_stated_through_the_host()
    {
        var files = new FakeHost();
        files.Devices["/dev/fuse"] = new LinuxDevice { Path = "/dev/fuse", Type = "c", Major = 10, Minor = 229, FileMode = 0x1B6 };
        var linux = SpecBuilder.Build(Input(host: new HostConfig
        {
            Devices = [new DeviceMapping { PathOnHost = "/dev/fuse", PathInContainer = "/dev/f", CgroupPermissions = "rw" }],
        }, files: files)).Spec.Linux!;
        Assert.Equal("/dev/f", Assert.Single(linux.Devices!).Path);
        Assert.Equal(new LinuxDeviceCgroup { Allow = true, Type = "c", Major = 10, Minor = 229, Access = "rw" }, linux.Resources!.Devices![^1]);
    }

    [Theory]
    [InlineData("seccomp=unconfined", null)]
    [InlineData("seccomp=/etc/profile.json", "SCMP_ACT_LOG")]
    [InlineData("seccomp={\"defaultAction\":\"SCMP_ACT_TRAP\"}", "SCMP_ACT_TRAP")]
    public void Seccomp_options(string option, string? defaultAction)
    {
        var files = new FakeHost();
        files.Texts["/etc/profile.json"] = """{"defaultAction":"SCMP_ACT_LOG"}""";
        var spec = SpecBuilder.Build(Input(host: new HostConfig { SecurityOpt = [option] }, files: files)).Spec;
        Assert.Equal(defaultAction, spec.Linux!.Seccomp?.DefaultAction);
    }

    [Fact]
    public void Custom_masked_paths_and_annotations()
    {
        var extra = System.Text.Json.JsonDocument.Parse("""{"a.b":"c"}""").RootElement.Clone();
        var spec = Spec(host: new HostConfig
        {
            MaskedPaths = [], ReadonlyPaths = ["/proc/sys"],
            Extra = new() { ["Annotations"] = extra },
            Sysctls = new Dictionary<string, string> { ["net.ipv4.ip_unprivileged_port_start"] = "1024", ["kernel.shmmax"] = "1" },
        });
        Assert.Empty(spec.Linux!.MaskedPaths!);
        Assert.Equal(["/proc/sys"], spec.Linux.ReadonlyPaths);
        Assert.Equal("c", spec.Annotations!["a.b"]);
        Assert.Equal("1024", spec.Linux.Sysctl!["net.ipv4.ip_unprivileged_port_start"]);
        Assert.Equal("1", spec.Linux.Sysctl["kernel.shmmax"]);
    }

    [Fact]
    public void Cgroup_paths()
    {
        Assert.Equal("/custom/" + Id, Spec(host: new HostConfig { CgroupParent = "/custom" }).Linux!.CgroupsPath);
        var systemd = SpecBuilder.Build(Input(host: new HostConfig { CgroupParent = "my.slice" }) with { CgroupDriver = "systemd" });
        Assert.Equal("my.slice:berth:" + Id, systemd.Spec.Linux!.CgroupsPath);
    }

    public static TheoryData<HostConfig, string> BadHostConfigs => new()
    {
        { new HostConfig { SecurityOpt = ["bogus"] }, "invalid --security-opt 1: \"bogus\"" },
        { new HostConfig { SecurityOpt = ["foo=bar"] }, "invalid --security-opt 2: \"foo=bar\"" },
        { new HostConfig { SecurityOpt = ["no-new-privileges=maybe"] }, "invalid --security-opt 2: \"no-new-privileges=maybe\"" },
        { new HostConfig { CapAdd = ["NOPE"] }, "unknown capability: \"CAP_NOPE\"" },
        { new HostConfig { Ulimits = [new Ulimit { Name = "bogus", Soft = 1, Hard = 1 }] }, "invalid ulimit type: bogus" },
        { new HostConfig { Ulimits = [new Ulimit { Name = "nofile", Soft = 10, Hard = 1 }] }, "ulimit soft limit must be less than or equal to hard limit: 10 > 1" },
        { new HostConfig { Binds = ["/a:/x"], Tmpfs = new Dictionary<string, string> { ["/x"] = "" } }, "Duplicate mount point: /x" },
        { new HostConfig { Memory = 1024 }, "Minimum memory limit allowed is 6MB" },
        { new HostConfig { NanoCpus = 1, CpuQuota = 10000 }, "Conflicting options: Nano CPUs and CPU Quota cannot both be set" },
        { new HostConfig { OomScoreAdj = 1001 }, "Invalid value 1001, range for oom score adj is [-1000, 1000]" },
        { new HostConfig { Sysctls = new Dictionary<string, string> { ["kernel.panic"] = "1" } }, "sysctl 'kernel.panic' is not allowed" },
        { new HostConfig { NetworkMode = "host", Sysctls = new Dictionary<string, string> { ["net.core.somaxconn"] = "1" } }, "sysctl 'net.core.somaxconn' is not allowed in host network namespace" },
        { new HostConfig { SecurityOpt = ["seccomp=/missing.json"] }, "opening seccomp profile (/missing.json) failed: no such file" },
    };

    [Theory]
    [MemberData(nameof(BadHostConfigs))]
    public void Bad_host_config_is_invalid_argument(HostConfig host, string message)
    {
        var e = Assert.Throws<BerthException>(() => Spec(host: host));
        Assert.Equal(ErrorKind.InvalidArgument, e.Kind);
        Assert.Equal(message, e.Message);
    }

    [Fact]
    public void Modes_not_built_yet_say_so()
    {
        Assert.Equal(ErrorKind.NotImplemented, Assert.Throws<BerthException>(() => Spec(host: new HostConfig { NetworkMode = "container:x" })).Kind);
        Assert.Equal(ErrorKind.NotImplemented, Assert.Throws<BerthException>(() => Spec(host: new HostConfig { NetworkMode = "mynet" })).Kind);
        Assert.Equal("the working directory 'rel' is invalid, it needs to be an absolute path",
            Assert.Throws<BerthException>(() => Spec(new Config { WorkingDir = "rel" })).Message);
        Assert.Equal("conflicting options: hostname and the UTS mode",
            Assert.Throws<BerthException>(() => Spec(new Config { Hostname = "x" }, new HostConfig { UTSMode = "host" })).Message);
    }
}
