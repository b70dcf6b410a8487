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
        foreach (var file in plan.Files)
            AtomicFile.WriteText(file.Path, file.Content);
        foreach (var directory in plan.CreateDirectories)
            Directory.CreateDirectory(directory);
        var spec = plan.Spec;
        if (plan.AllHostDevices && spec.Linux is { } linux)
            spec = spec with { Linux = linux with { Devices = [.. linux.Devices ?? [], .. HostFiles.Instance.AllDevices()] } };
        var bundle = Path.Combine(dir, "bundle");
        Directory.CreateDirectory(bundle);
        AtomicFile.Write(Path.Combine(bundle, "config.json"), JsonSerializer.SerializeToUtf8Bytes(spec, RuntimeJsonContext.Default.Spec));
        if (!record.Mounts.SequenceEqual(plan.MountPoints))
        {
            record = record with { Mounts = plan.MountPoints };
            Store.Update(record);
        }
        return record;
    }
}
