using System.Text.Json;
using Berth.Cgroups;
using Berth.Engine.Model;
using Berth.Engine.Spec;
using Berth.Linux.Files;
using Berth.Oci.Image;
using Berth.Oci.Runtime;

namespace Berth.Engine.Containers;

public sealed partial class ContainerService
{
    /// <summary>The image config a container was created from, kept beside it so a later rmi -f cannot take it away.</summary>
    public static string ImageConfigPath(string dir) => Path.Combine(dir, "image-config.json");

    private static readonly Lazy<CgroupMode> HostCgroupMode = new(() => Cgroup.DetectMode());

    /// <summary>
    /// Carries out the spec builder's plan for a start: writes the /etc files and creates missing
    /// bind sources, then DIR/bundle/config.json (atomically). Records the mounts for inspect.
    /// </summary>
    private ContainerRecord WriteBundle(ContainerRecord record, string dir)
    {
        ImageConfig? image = null;
        if (File.Exists(ImageConfigPath(dir)))
            image = ImageJson.ParseConfig(File.ReadAllBytes(ImageConfigPath(dir)));
        var rootfs = Snapshot.RootfsPath(dir);
        var plan = SpecBuilder.Build(new SpecInput
        {
            Container = record,
            Image = image,
            RootfsPath = rootfs,
            ContainerDirectory = dir,
            RootfsUsers = new RootfsUsers(rootfs),
            HostFiles = HostFiles.Instance,
            CgroupV2 = HostCgroupMode.Value == CgroupMode.Unified,
            HostResolvConf = HostFiles.Instance.ReadText("/etc/resolv.conf"),
            HostHosts = HostFiles.Instance.ReadText("/etc/hosts"),
            HostHostname = HostFiles.Instance.ReadText("/etc/hostname")?.Trim(),
            InitPath = _options.InitPath,
        });
        // Written anew at every start, so not worth an fsync of the directory each.
        foreach (var file in plan.Files)
            AtomicFile.WriteText(file.Path, file.Content, durable: false);
        foreach (var directory in plan.CreateDirectories)
            Directory.CreateDirectory(directory);
        // docker creates a missing working directory in the container's filesystem at start;
        // resolved within the rootfs so an image's symlink cannot point it at the host.
        if (plan.Spec.Process?.Cwd is { Length: > 1 } cwd && RootfsUsers.Resolve(rootfs, cwd) is { } hostCwd && !Directory.Exists(hostCwd))
            Directory.CreateDirectory(hostCwd);
        var spec = plan.Spec;
        if (plan.AllHostDevices && spec.Linux is { } linux)
            spec = spec with { Linux = linux with { Devices = [.. linux.Devices ?? [], .. HostFiles.Instance.AllDevices()] } };
        if (record.HostConfig.Privileged && spec.Process is { Capabilities: { } caps } process)
            spec = spec with { Process = process with { Capabilities = WithinHostBoundingSet(caps) } };
        var bundle = Path.Combine(dir, "bundle");
        Directory.CreateDirectory(bundle);
        AtomicFile.Write(Path.Combine(bundle, "config.json"), JsonSerializer.SerializeToUtf8Bytes(spec, RuntimeJsonContext.Default.Spec), durable: false);
        if (!record.Mounts.SequenceEqual(plan.MountPoints))
        {
            record = record with { Mounts = plan.MountPoints };
            Store.Update(record);
        }
        return record;
    }

    /// <summary>
    /// docker gives --privileged every capability in its own bounding set, not every one the kernel
    /// knows: a capability outside it cannot be granted (this host's root lacks CAP_SYS_RESOURCE,
    /// and runc and berth-runtime both fail "set capabilities: operation not permitted").
    /// </summary>
    private static LinuxCapabilities WithinHostBoundingSet(LinuxCapabilities caps)
    {
        var bounding = ulong.MaxValue;
        foreach (var line in File.ReadLines("/proc/self/status"))
        {
            if (line.StartsWith("CapBnd:", StringComparison.Ordinal))
                bounding = Convert.ToUInt64(line["CapBnd:".Length..].Trim(), 16);
        }
        IReadOnlyList<string>? Keep(IReadOnlyList<string>? names) =>
            names?.Where(n => Berth.Linux.Capabilities.IndexOf(n) is var i && i is >= 0 and < 64 && (bounding & (1UL << i)) != 0).ToList();
        return caps with
        {
            Bounding = Keep(caps.Bounding),
            Effective = Keep(caps.Effective),
            Inheritable = Keep(caps.Inheritable),
            Permitted = Keep(caps.Permitted),
            Ambient = Keep(caps.Ambient),
        };
    }
}
