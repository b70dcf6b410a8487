using Berth.Engine.Model;
using Berth.Errdefs;
using Berth.Linux.Files;
using Berth.Oci.Runtime;

namespace Berth.Engine.Spec;

/// <summary>
/// Parses and checks a container's own mounts as docker's daemon does:
/// <list type="bullet">
/// <item><c>Binds</c> (<c>-v /host:/ctr[:MODE]</c>, MODE a comma list of at most one of rw/ro,
/// one of z/Z, one propagation and nocopy). The host path must be absolute: named and anonymous
/// volumes are refused until volumes exist. A missing host path is created, as docker does.</item>
/// <item><c>Mounts</c> (<c>--mount</c>): bind (the source must exist, docker's
/// "bind source path does not exist") with propagation and recursion, or tmpfs with size and mode.</item>
/// <item><c>Tmpfs</c> (<c>--tmpfs /run:OPTIONS</c>), merged with docker's tmpfs defaults.</item>
/// </list>
/// Two mounts on one destination are "Duplicate mount point: X". Errors are InvalidArgument
/// with docker's wording.
/// </summary>
public static class MountPlanner
{
    private static readonly HashSet<string> Propagations = ["private", "rprivate", "shared", "rshared", "slave", "rslave"];

    public static MountPlan Plan(HostConfig hostConfig, IHostFiles host)
    {
        ArgumentNullException.ThrowIfNull(hostConfig);
        ArgumentNullException.ThrowIfNull(host);
        var mounts = new List<Mount>();
        var points = new List<MountPoint>();
        var create = new List<string>();
        var destinations = new HashSet<string>(StringComparer.Ordinal);

        void Add(Mount mount, MountPoint? point)
        {
            if (!destinations.Add(mount.Destination))
                throw BerthException.InvalidArgument($"Duplicate mount point: {mount.Destination}");
            mounts.Add(mount);
            if (point is not null)
                points.Add(point);
        }

        foreach (var bind in hostConfig.Binds ?? [])
        {
            var (mount, point) = ParseBind(bind);
            if (!host.Exists(mount.Source!) && !create.Contains(mount.Source!))
                create.Add(mount.Source!);
            Add(mount, point);
        }
        foreach (var spec in hostConfig.Mounts ?? [])
        {
            var (mount, point) = FromMountSpec(spec, host);
            Add(mount, point);
        }
        foreach (var (target, data) in hostConfig.Tmpfs ?? new Dictionary<string, string>())
            Add(FromTmpfs(target, data), null);
        return new MountPlan { Mounts = mounts, MountPoints = points, CreateDirectories = create };
    }

    /// <summary>One <c>-v</c> entry: the spec mount and what inspect shows.</summary>
    public static (Mount Mount, MountPoint Point) ParseBind(string spec)
    {
        var parts = spec.Split(':');
        if (parts.Length == 1 && parts[0].StartsWith('/'))
            throw BerthException.InvalidArgument(
                $"anonymous volume `{spec}`: volumes are not supported yet; bind a host directory with -v /host/path:{spec}");
        if (parts.Length is < 2 or > 3 || parts[0].Length == 0 || parts[1].Length == 0)
            throw BerthException.InvalidArgument($"invalid volume specification: '{spec}'");
        var (source, target, mode) = (parts[0], parts[1], parts.Length == 3 ? parts[2] : "");
        if (!target.StartsWith('/'))
            throw BerthException.InvalidArgument(
                $"invalid volume specification: '{spec}': invalid mount config for type \"bind\": invalid mount path: '{target}' mount path must be absolute");
        if (RootPath.Clean(target) == "/")
            throw BerthException.InvalidArgument(
                $"invalid volume specification: '{spec}': invalid mount config for type \"bind\": invalid specification: destination can't be '/'");
        if (!source.StartsWith('/'))
            throw BerthException.InvalidArgument(
                $"named volume `{source}` in `{spec}`: volumes are not supported yet; the host path of a bind must be absolute");

        var (readOnly, propagation) = ParseMode(mode);
        var options = new List<string> { "rbind" };
        if (readOnly)
            options.Add("ro");
        options.Add(propagation);
        var mount = new Mount { Destination = RootPath.Clean(target), Type = "bind", Source = RootPath.Clean(source), Options = options };
        var point = new MountPoint
        {
            Type = "bind", Source = mount.Source!, Destination = mount.Destination, Mode = mode, RW = !readOnly,
            Propagation = propagation,
        };
        return (mount, point);
    }

    private static (bool ReadOnly, string Propagation) ParseMode(string mode)
    {
        if (mode.Length == 0)
            return (false, "rprivate");
        int rw = 0, label = 0, prop = 0, copy = 0;
        var readOnly = false;
        var propagation = "rprivate";
        foreach (var m in mode.Split(','))
        {
            switch (m)
            {
                case "rw" or "ro":
                    rw++;
                    readOnly = m == "ro";
                    break;
                case "z" or "Z":
                    label++; // SELinux relabelling: no SELinux on the hosts Berth runs on.
                    break;
                case var p when Propagations.Contains(p):
                    prop++;
                    propagation = p;
                    break;
                case "nocopy":
                    copy++; // only meaningful for volumes
                    break;
                default:
                    throw BerthException.InvalidArgument($"invalid mode: {mode}");
            }
        }
        if (rw > 1 || label > 1 || prop > 1 || copy > 1)
            throw BerthException.InvalidArgument($"invalid mode: {mode}");
        return (readOnly, propagation);
    }

    private static (Mount, MountPoint) FromMountSpec(MountSpec spec, IHostFiles host)
    {
        string Err(string cause) => $"invalid mount config for type \"{spec.Type}\": {cause}";
        string NotAbsolute(string path) => Err($"invalid mount path: '{path}' mount path must be absolute");

        if (spec.Type is not ("bind" or "tmpfs"))
        {
            throw BerthException.InvalidArgument(spec.Type == "volume"
                ? Err("volumes are not supported yet; use type=bind with an absolute source")
                : Err("mount type unknown"));
        }
        if (spec.Target.Length == 0)
            throw BerthException.InvalidArgument(Err("field Target must not be empty"));
        if (!spec.Target.StartsWith('/'))
            throw BerthException.InvalidArgument(NotAbsolute(spec.Target));
        var target = RootPath.Clean(spec.Target);

        if (spec.Type == "tmpfs")
        {
            if (spec.Source.Length > 0)
                throw BerthException.InvalidArgument(Err("field Source must not be specified"));
            if (spec.BindOptions is not null)
                throw BerthException.InvalidArgument(Err("field BindOptions must not be specified"));
            if (spec.TmpfsOptions is { SizeBytes: < 0 })
                throw BerthException.InvalidArgument(Err($"invalid tmpfs size {spec.TmpfsOptions.SizeBytes}"));
            var data = TmpfsOptionsMerge.Convert(spec.TmpfsOptions?.SizeBytes ?? 0, spec.TmpfsOptions?.Mode ?? 0, spec.ReadOnly);
            var tmpfs = new Mount
            {
                Destination = target, Type = "tmpfs", Source = "tmpfs",
                Options = TmpfsOptionsMerge.Merge(TmpfsOptionsMerge.Defaults.Concat(data)),
            };
            return (tmpfs, new MountPoint { Type = "tmpfs", Destination = target, RW = !spec.ReadOnly });
        }

        if (spec.TmpfsOptions is not null)
            throw BerthException.InvalidArgument(Err("field TmpfsOptions must not be specified"));
        if (spec.Source.Length == 0)
            throw BerthException.InvalidArgument(Err("field Source must not be empty"));
        if (!spec.Source.StartsWith('/'))
            throw BerthException.InvalidArgument(NotAbsolute(spec.Source));
        var source = RootPath.Clean(spec.Source);
        if (!host.Exists(source))
            throw BerthException.InvalidArgument(Err($"bind source path does not exist: {source}"));
        var propagation = spec.BindOptions?.Propagation is { Length: > 0 } p ? p : "rprivate";
        if (!Propagations.Contains(propagation))
            throw BerthException.InvalidArgument(Err($"invalid propagation mode: {propagation}"));
        var options = new List<string> { spec.BindOptions?.NonRecursive == true ? "bind" : "rbind" };
        if (spec.ReadOnly)
            options.Add("ro");
        options.Add(propagation);
        var bind = new Mount { Destination = target, Type = "bind", Source = source, Options = options };
        return (bind, new MountPoint
        {
            Type = "bind", Source = source, Destination = target, RW = !spec.ReadOnly, Propagation = propagation,
        });
    }

    private static Mount FromTmpfs(string target, string data)
    {
        if (!target.StartsWith('/'))
            throw BerthException.InvalidArgument(
                $"invalid mount config for type \"tmpfs\": invalid mount path: '{target}' mount path must be absolute");
        // tmpcopyup is docker's own flag (copy the image's files up), not a mount option.
        var own = data.Split(',').Where(o => o is not ("tmpcopyup" or "notmpcopyup"));
        return new Mount
        {
            Destination = RootPath.Clean(target), Type = "tmpfs", Source = "tmpfs",
            Options = TmpfsOptionsMerge.Merge(TmpfsOptionsMerge.Defaults.Concat(own)),
        };
    }
}
