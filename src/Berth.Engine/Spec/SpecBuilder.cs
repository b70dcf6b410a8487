using Berth.Engine.Model;
using Berth.Errdefs;
using Berth.Oci.Runtime;

namespace Berth.Engine.Spec;

/// <summary>
/// Turns a docker-style container (Config + HostConfig) and its image's config into an OCI
/// runtime spec the way moby's <c>daemon/oci_linux.go</c> does, as a pure function returning a
/// <see cref="SpecPlan"/>: nothing is written, mounted or created here. The host is consulted only
/// through <see cref="SpecInput.HostFiles"/> and the rootfs's users through
/// <see cref="SpecInput.RootfsUsers"/>. Bad input (an unknown capability, a bad bind, a
/// duplicate mount point, an unknown security option, …) is InvalidArgument with docker's message;
/// a mode Berth does not have yet (<c>--network container:X</c>, user networks, volumes) is
/// NotImplemented or InvalidArgument saying so.
/// Networking: <c>host</c> shares the host's network namespace; <c>none</c>, <c>default</c> and
/// <c>bridge</c> get a new one holding only loopback until the bridge network exists.
/// </summary>
public static partial class SpecBuilder
{
    public const string InitDestination = "/sbin/docker-init";

    public static SpecPlan Build(SpecInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var c = input.Container;
        var (cfg, hc) = (c.Config, c.HostConfig);
        var image = input.Image?.Config;
        if (c.Id.Length < 12)
            throw BerthException.InvalidArgument($"container id `{c.Id}` is too short");

        var security = SecurityOptions.Parse(hc.SecurityOpt);
        var hostNetwork = NetworkIsHost(hc.NetworkMode);
        var hostname = Hostname(input, hostNetwork);

        var (path, args) = CommandLine.Resolve(cfg, image);
        var argv = new List<string>();
        var useInit = hc.Init ?? input.InitByDefault;
        if (useInit)
        {
            if (!input.HostFiles.Exists(input.InitPath))
                throw BerthException.FailedPrecondition(
                    $"--init: init binary `{input.InitPath}` not found: install the Debian package `tini`");
            argv.AddRange([InitDestination, "--"]);
        }
        argv.Add(path);
        argv.AddRange(args);

        var userSpec = cfg.User.Length > 0 ? cfg.User : image?.User ?? "";
        var user = UserResolver.Resolve(userSpec, hc.GroupAdd, input.RootfsUsers);
        var caps = CapabilitySet.Resolve(hc.CapAdd, hc.CapDrop, hc.Privileged);
        var rlimits = UlimitMap.Map(hc.Ulimits);

        var process = new Process
        {
            Terminal = cfg.Tty,
            ConsoleSize = cfg.Tty && hc.ConsoleSize is [> 0 and var h, > 0 and var w]
                ? new Box { Height = (uint)h, Width = (uint)w }
                : null,
            User = new User { Uid = user.Uid, Gid = user.Gid, AdditionalGids = user.AdditionalGids.Count > 0 ? user.AdditionalGids : null },
            Args = argv,
            Env = EnvMerge.Build(cfg.Env, image?.Env, hostname.Env, cfg.Tty, user.Home),
            Cwd = WorkingDir(cfg.WorkingDir.Length > 0 ? cfg.WorkingDir : image?.WorkingDir),
            Capabilities = new LinuxCapabilities { Bounding = caps, Effective = caps, Permitted = caps },
            Rlimits = rlimits.Count > 0 ? rlimits : null,
            NoNewPrivileges = security.NoNewPrivileges,
            ApparmorProfile = security.AppArmorProfile is { Length: > 0 } a && a != "unconfined" ? a : null,
            OomScoreAdj = ResourceMapper.OomScoreAdj(hc.OomScoreAdj),
        };

        var mounts = BuildMounts(input, hostNetwork, hostname.Env, security, useInit);
        var spec = new Berth.Oci.Runtime.Spec
        {
            // docker writes 1.0.2-dev: the oldest version every runtime in use accepts (crun 1.8
            // refuses 1.2.0 by its prefix check); berth-runtime and runc accept it alike.
            OciVersion = "1.0.2-dev",
            Process = process,
            Root = new Root { Path = input.RootfsPath, Readonly = hc.ReadonlyRootfs },
            Hostname = hostname.Spec,
            Domainname = cfg.Domainname.Length > 0 ? cfg.Domainname : null,
            Mounts = mounts.Mounts,
            Annotations = Annotations(hc),
            Linux = BuildLinux(input, hostNetwork, caps, security, mounts.Mounts, out var allHostDevices),
        };
        return new SpecPlan
        {
            Spec = spec,
            Files = mounts.Files,
            CreateDirectories = mounts.User.CreateDirectories,
            MountPoints = mounts.User.MountPoints,
            AllHostDevices = allHostDevices,
        };
    }

    private static bool NetworkIsHost(string mode) => mode switch
    {
        "" or "default" or "bridge" or "none" => false,
        "host" => true,
        _ when mode.StartsWith("container:", StringComparison.Ordinal) => throw new BerthException(
            ErrorKind.NotImplemented, $"network mode `{mode}`: joining another container's network is not supported yet"),
        _ => throw new BerthException(ErrorKind.NotImplemented, $"network `{mode}`: user-defined networks are not supported yet"),
    };

    /// <summary>HOSTNAME for the environment and the spec's hostname (null with <c>--uts host</c>).</summary>
    private static (string Env, string? Spec) Hostname(SpecInput input, bool hostNetwork)
    {
        var (cfg, hc) = (input.Container.Config, input.Container.HostConfig);
        if (hc.UTSMode == "host")
        {
            if (cfg.Hostname.Length > 0)
                throw BerthException.InvalidArgument("conflicting options: hostname and the UTS mode");
            return (input.HostHostname ?? "", null);
        }
        if (hc.UTSMode.Length > 0)
            throw BerthException.InvalidArgument($"invalid UTS mode: {hc.UTSMode}");
        var name = cfg.Hostname.Length > 0 ? cfg.Hostname
            : hostNetwork && input.HostHostname is { Length: > 0 } host ? host
            : input.Container.Id[..12];
        return (name, name);
    }

    private static string WorkingDir(string? dir)
    {
        if (string.IsNullOrEmpty(dir))
            return "/";
        if (!dir.StartsWith('/'))
            throw BerthException.InvalidArgument($"the working directory '{dir}' is invalid, it needs to be an absolute path");
        return Berth.Linux.Files.RootPath.Clean(dir);
    }

    /// <summary>HostConfig.Annotations (API 1.43), which the model keeps among its extra fields.</summary>
    private static IReadOnlyDictionary<string, string>? Annotations(HostConfig hc)
    {
        if (hc.Extra is null || !hc.Extra.TryGetValue("Annotations", out var element)
            || element.ValueKind != System.Text.Json.JsonValueKind.Object)
            return null;
        var annotations = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var property in element.EnumerateObject())
        {
            annotations[property.Name] = property.Value.ValueKind == System.Text.Json.JsonValueKind.String
                ? property.Value.GetString()!
                : throw BerthException.InvalidArgument($"annotation `{property.Name}`: value must be a string");
        }
        return annotations.Count > 0 ? annotations : null;
    }
}
