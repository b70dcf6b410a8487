using Berth.Engine.Model;
using Berth.Oci.Image;
using Berth.Seccomp;

namespace Berth.Engine.Spec;

/// <summary>
/// Everything <see cref="SpecBuilder"/> needs for one container; host facts are inputs, so the
/// build is a pure function. Container is the record as created (Id, Config, HostConfig;
/// Path/Args are recomputed from Config and the image). Empty strings mean "not set".
/// </summary>
public sealed record SpecInput
{
    public required ContainerRecord Container { get; init; }
    public ImageConfig? Image { get; init; }

    /// <summary>The rootfs the runtime gets (the overlay's merged directory).</summary>
    public required string RootfsPath { get; init; }

    /// <summary>The container's directory, where hosts, hostname and resolv.conf are written.</summary>
    public required string ContainerDirectory { get; init; }

    public required IRootfsUsers RootfsUsers { get; init; }
    public required IHostFiles HostFiles { get; init; }

    /// <summary>"cgroupfs" (cgroupsPath <c>/berth/ID</c> or <c>PARENT/ID</c>) or "systemd" (<c>system.slice:berth:ID</c>).</summary>
    public string CgroupDriver { get; init; } = "cgroupfs";

    /// <summary>True on a cgroup v2 host: the default cgroup namespace mode is then private, else host.</summary>
    public bool CgroupV2 { get; init; }

    public string? HostResolvConf { get; init; }
    public string? HostHosts { get; init; }

    /// <summary>The host's name, used as the container's with <c>--network host</c>.</summary>
    public string? HostHostname { get; init; }

    /// <summary>The address <c>--add-host NAME:host-gateway</c> means; null until the bridge exists.</summary>
    public string? HostGatewayIp { get; init; }

    /// <summary>The host's tini (<c>--init</c>), bind-mounted read-only at /sbin/docker-init.</summary>
    public string InitPath { get; init; } = "/usr/bin/tini-static";

    /// <summary>Whether <c>--init</c> applies when HostConfig.Init is null (dockerd's <c>--init</c>).</summary>
    public bool InitByDefault { get; init; }

    /// <summary>The seccomp architecture profiles are resolved for; null: this process's.</summary>
    public SeccompArch? Arch { get; init; }

    /// <summary>The host kernel's release ("6.1.0-18-amd64"), for minKernel rules; null: recent enough.</summary>
    public string? KernelVersion { get; init; }
}
