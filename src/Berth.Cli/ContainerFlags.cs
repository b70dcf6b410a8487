using System.CommandLine;
using System.Globalization;
using Berth.Engine;
using Berth.Engine.Containers;
using Berth.Engine.Model;
using Berth.Errdefs;

namespace Berth.Cli;

/// <summary>
/// The flags `run` and `create` share, as docker names them, and their translation into the
/// engine's CreateRequest (docker's Config + HostConfig). Values are checked here with docker's
/// messages; everything that needs the image is checked by the engine.
/// </summary>
internal sealed class ContainerFlags
{
    public readonly Option<string?> Name = new("--name") { Description = "assign a name to the container" };
    public readonly Option<bool> Interactive = new("--interactive", "-i") { Description = "keep STDIN open even if not attached" };
    public readonly Option<bool> Tty = new("--tty", "-t") { Description = "allocate a pseudo-TTY" };
    public readonly Option<string[]> Env = Many("--env", "-e", "set environment variables");
    public readonly Option<string[]> EnvFile = Many("--env-file", null, "read in a file of environment variables");
    public readonly Option<string?> Workdir = new("--workdir", "-w") { Description = "working directory inside the container" };
    public readonly Option<string?> User = new("--user", "-u") { Description = "username or UID (format: <name|uid>[:<group|gid>])" };
    public readonly Option<string?> Entrypoint = new("--entrypoint") { Description = "overwrite the default ENTRYPOINT of the image" };
    public readonly Option<string?> Hostname = new("--hostname", "-h") { Description = "container host name" };
    public readonly Option<string?> Domainname = new("--domainname") { Description = "container NIS domain name" };
    public readonly Option<string[]> Volume = Many("--volume", "-v", "bind mount a volume (/host:/container[:ro])");
    public readonly Option<string[]> Mount = Many("--mount", null, "attach a filesystem mount to the container");
    public readonly Option<string[]> Tmpfs = Many("--tmpfs", null, "mount a tmpfs directory");
    public readonly Option<bool> ReadOnly = new("--read-only") { Description = "mount the container's root filesystem as read only" };
    public readonly Option<string?> Memory = new("--memory", "-m") { Description = "memory limit" };
    public readonly Option<string?> MemorySwap = new("--memory-swap") { Description = "swap limit equal to memory plus swap: -1 for unlimited" };
    public readonly Option<string?> MemoryReservation = new("--memory-reservation") { Description = "memory soft limit" };
    public readonly Option<string?> Cpus = new("--cpus") { Description = "number of CPUs" };
    public readonly Option<long> CpuShares = new("--cpu-shares", "-c") { Description = "CPU shares (relative weight)" };
    public readonly Option<string?> CpusetCpus = new("--cpuset-cpus") { Description = "CPUs in which to allow execution (0-3, 0,1)" };
    public readonly Option<string?> PidsLimit = new("--pids-limit") { Description = "tune container pids limit (-1 for unlimited)" };
    public readonly Option<string[]> CapAdd = Many("--cap-add", null, "add Linux capabilities");
    public readonly Option<string[]> CapDrop = Many("--cap-drop", null, "drop Linux capabilities");
    public readonly Option<bool> Privileged = new("--privileged") { Description = "give extended privileges to this container" };
    public readonly Option<string[]> SecurityOpt = Many("--security-opt", null, "security options");
    public readonly Option<bool> Init = new("--init") { Description = "run an init inside the container that forwards signals and reaps processes" };
    public readonly Option<string[]> Label = Many("--label", "-l", "set meta data on a container");
    public readonly Option<string?> Network = new("--network", "--net") { Description = "connect a container to a network (none, host)" };
    public readonly Option<string?> Restart = new("--restart") { Description = "restart policy to apply when a container exits" };
    public readonly Option<string?> StopSignal = new("--stop-signal") { Description = "signal to stop the container" };
    public readonly Option<int?> StopTimeout = new("--stop-timeout") { Description = "timeout (in seconds) to stop a container" };
    public readonly Option<string[]> Ulimit = Many("--ulimit", null, "ulimit options");
    public readonly Option<string[]> Publish = Many("--publish", "-p", "publish a container's port(s) to the host");
    public readonly Option<string[]> Expose = Many("--expose", null, "expose a port or a range of ports");
    public readonly Option<string[]> Dns = Many("--dns", null, "set custom DNS servers");
    public readonly Option<string[]> DnsSearch = Many("--dns-search", null, "set custom DNS search domains");
    public readonly Option<string[]> DnsOption = Many("--dns-option", null, "set DNS options");
    public readonly Option<string[]> AddHost = Many("--add-host", null, "add a custom host-to-IP mapping (host:ip)");
    public readonly Option<string[]> GroupAdd = Many("--group-add", null, "add additional groups to join");
    public readonly Option<string?> ShmSize = new("--shm-size") { Description = "size of /dev/shm" };
    public readonly Option<string?> LogDriver = new("--log-driver") { Description = "logging driver for the container (json-file)" };
    public readonly Option<string[]> LogOpt = Many("--log-opt", null, "log driver options (max-size, max-file)");
    public readonly Option<string[]> Sysctl = Many("--sysctl", null, "sysctl options");
    public readonly Option<string[]> Device = Many("--device", null, "add a host device to the container");
    public readonly Option<string?> Cidfile = new("--cidfile") { Description = "write the container ID to the file" };
    public readonly Option<string?> Platform = new("--platform") { Description = "set platform if server is multi-platform capable" };
    public readonly Option<string?> Pull = new("--pull") { Description = "pull image before running (always, missing, never)" };
    public readonly Option<int> OomScoreAdj = new("--oom-score-adj") { Description = "tune host's OOM preferences (-1000 to 1000)" };
    public readonly Option<string?> Pid = new("--pid") { Description = "PID namespace to use" };
    public readonly Option<string?> Ipc = new("--ipc") { Description = "IPC mode to use" };
    public readonly Option<string?> Uts = new("--uts") { Description = "UTS namespace to use" };
    public readonly Option<bool> Rm = new("--rm") { Description = "automatically remove the container when it exits" };
    public readonly Argument<string> Image = new("image") { Description = "the image to run" };
    public readonly Argument<string[]> Command = new("command") { Arity = ArgumentArity.ZeroOrMore, Description = "the command and its arguments" };

    private static Option<string[]> Many(string name, string? alias, string description)
    {
        var option = alias is null ? new Option<string[]>(name) : new Option<string[]>(name, alias);
        option.Description = description;
        option.AllowMultipleArgumentsPerToken = false;
        option.DefaultValueFactory = _ => [];
        return option;
    }

    public void AddTo(Command command)
    {
        foreach (var field in new Option[]
        {
            Name, Interactive, Tty, Env, EnvFile, Workdir, User, Entrypoint, Hostname, Domainname, Volume, Mount, Tmpfs,
            ReadOnly, Memory, MemorySwap, MemoryReservation, Cpus, CpuShares, CpusetCpus, PidsLimit, CapAdd, CapDrop,
            Privileged, SecurityOpt, Init, Label, Network, Restart, StopSignal, StopTimeout, Ulimit, Publish, Expose, Dns,
            DnsSearch, DnsOption, AddHost, GroupAdd, ShmSize, LogDriver, LogOpt, Sysctl, Device, Cidfile, Platform, Pull,
            OomScoreAdj, Pid, Ipc, Uts, Rm,
        })
        {
            command.Options.Add(field);
        }
        command.Arguments.Add(Image);
        command.Arguments.Add(Command);
    }

    /// <summary>Docker's translation of the flags into Config and HostConfig.</summary>
    public CreateRequest ToRequest(ParseResult r, bool attachStdio)
    {
        var interactive = r.GetValue(Interactive);
        var tty = r.GetValue(Tty);
        var entrypoint = r.GetValue(Entrypoint);
        var cmd = r.GetValue(Command) ?? [];
        var (exposed, bindings) = Ports(r.GetValue(Publish)!, r.GetValue(Expose)!);
        var config = new Config
        {
            Hostname = r.GetValue(Hostname) ?? "",
            Domainname = r.GetValue(Domainname) ?? "",
            User = r.GetValue(User) ?? "",
            AttachStdin = attachStdio && interactive,
            AttachStdout = attachStdio,
            AttachStderr = attachStdio,
            Tty = tty,
            OpenStdin = interactive,
            StdinOnce = attachStdio && interactive,
            Env = Commands.ExecCommand.EnvList(r.GetValue(Env)!, r.GetValue(EnvFile)!) is { Count: > 0 } env ? env : null,
            Cmd = cmd.Length == 0 ? null : cmd,
            Image = r.GetValue(Image)!,
            WorkingDir = r.GetValue(Workdir) ?? "",
            Entrypoint = entrypoint is null ? null : entrypoint.Length == 0 ? [] : [entrypoint],
            Labels = Labels(r.GetValue(Label)!),
            ExposedPorts = exposed.Count == 0 ? null : exposed,
            StopSignal = r.GetValue(StopSignal),
            StopTimeout = r.GetValue(StopTimeout),
        };
        var logOpts = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var opt in r.GetValue(LogOpt)!)
        {
            var (k, v) = Split(opt, '=', "log-opt");
            if (k is not ("max-size" or "max-file" or "compress" or "labels" or "env" or "tag"))
                throw BerthException.InvalidArgument($"unknown log opt '{k}' for json-file log driver");
            logOpts[k] = v;
        }
        if (r.GetValue(LogDriver) is { } driver && driver is not ("json-file" or "local" or "none"))
            throw BerthException.InvalidArgument($"logger: no log driver named '{driver}' is registered");
        var host = new HostConfig
        {
            Binds = r.GetValue(Volume)!.Length == 0 ? null : r.GetValue(Volume),
            Mounts = r.GetValue(Mount)!.Length == 0 ? null : r.GetValue(Mount)!.Select(ParseMount).ToList(),
            Tmpfs = TmpfsMap(r.GetValue(Tmpfs)!),
            ReadonlyRootfs = r.GetValue(ReadOnly),
            Memory = SizeOrZero(r.GetValue(Memory), "memory"),
            MemorySwap = r.GetValue(MemorySwap) is "-1" ? -1 : SizeOrZero(r.GetValue(MemorySwap), "memory-swap"),
            MemoryReservation = SizeOrZero(r.GetValue(MemoryReservation), "memory-reservation"),
            NanoCpus = NanoCpus(r.GetValue(Cpus)),
            CpuShares = r.GetValue(CpuShares),
            CpusetCpus = r.GetValue(CpusetCpus) ?? "",
            PidsLimit = r.GetValue(PidsLimit) is { } pids ? ParseLong(pids, "pids-limit") : null,
            CapAdd = Null(r.GetValue(CapAdd)!),
            CapDrop = Null(r.GetValue(CapDrop)!),
            Privileged = r.GetValue(Privileged),
            SecurityOpt = Null(r.GetValue(SecurityOpt)!),
            Init = r.GetValue(Init) ? true : null,
            NetworkMode = r.GetValue(Network) ?? "default",
            RestartPolicy = RestartPolicyOf(r.GetValue(Restart)),
            AutoRemove = r.GetValue(Rm),
            Ulimits = r.GetValue(Ulimit)!.Length == 0 ? [] : r.GetValue(Ulimit)!.Select(ParseUlimit).ToList(),
            PortBindings = bindings,
            Dns = r.GetValue(Dns)!,
            DnsSearch = r.GetValue(DnsSearch)!,
            DnsOptions = r.GetValue(DnsOption)!,
            ExtraHosts = Null(r.GetValue(AddHost)!),
            GroupAdd = Null(r.GetValue(GroupAdd)!),
            ShmSize = SizeOrZero(r.GetValue(ShmSize), "shm-size"),
            LogConfig = new LogConfig { Type = r.GetValue(LogDriver) ?? "", Config = logOpts },
            Sysctls = SysctlMap(r.GetValue(Sysctl)!),
            Devices = r.GetValue(Device)!.Select(ParseDevice).ToList(),
            ContainerIDFile = r.GetValue(Cidfile) ?? "",
            OomScoreAdj = r.GetValue(OomScoreAdj),
            PidMode = r.GetValue(Pid) ?? "",
            IpcMode = r.GetValue(Ipc) ?? "",
            UTSMode = r.GetValue(Uts) ?? "",
            ConsoleSize = tty ? Terminal.Size() : [0, 0],
        };
        if (host.OomScoreAdj is < -1000 or > 1000)
            throw BerthException.InvalidArgument($"Invalid value {host.OomScoreAdj}, range for oom score adj is [-1000, 1000]");
        return new CreateRequest(r.GetValue(Name), config, host);
    }

    private static IReadOnlyList<string>? Null(string[] values) => values.Length == 0 ? null : values;

    private static long SizeOrZero(string? text, string what) => text is null ? 0 : Units.ParseSize(text, what);

    private static long ParseLong(string text, string what) =>
        long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) ? v
            : throw BerthException.InvalidArgument($"invalid argument \"{text}\" for \"--{what}\" flag: strconv.ParseInt: parsing \"{text}\": invalid syntax");

    private static long NanoCpus(string? text)
    {
        if (text is null)
            return 0;
        if (!decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var cpus) || cpus < 0)
            throw BerthException.InvalidArgument($"invalid argument \"{text}\" for \"--cpus\" flag: failed to parse {text} as a rational number");
        return (long)(cpus * 1_000_000_000m);
    }

    private static (string Key, string Value) Split(string text, char separator, string what)
    {
        var i = text.IndexOf(separator);
        if (i <= 0)
            throw BerthException.InvalidArgument($"invalid {what}: '{text}'");
        return (text[..i], text[(i + 1)..]);
    }

    private static IReadOnlyDictionary<string, string> Labels(string[] labels)
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var label in labels)
        {
            var eq = label.IndexOf('=');
            if (eq == 0)
                throw BerthException.InvalidArgument($"invalid label format: \"{label}\"");
            if (eq < 0)
                map[label] = "";
            else
                map[label[..eq]] = label[(eq + 1)..];
        }
        return map;
    }

    private static IReadOnlyDictionary<string, string>? TmpfsMap(string[] values)
    {
        if (values.Length == 0)
            return null;
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var v in values)
        {
            var colon = v.IndexOf(':');
            var path = colon < 0 ? v : v[..colon];
            if (!path.StartsWith('/'))
                throw BerthException.InvalidArgument($"invalid mount config for type \"tmpfs\": invalid mount path: '{path}' mount path must be absolute");
            map[path] = colon < 0 ? "" : v[(colon + 1)..];
        }
        return map;
    }

    private static IReadOnlyDictionary<string, string>? SysctlMap(string[] values)
    {
        if (values.Length == 0)
            return null;
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var v in values)
        {
            var (k, val) = Split(v, '=', "sysctl");
            map[k] = val;
        }
        return map;
    }

    /// <summary>--restart no|always|unless-stopped|on-failure[:N].</summary>
    private static RestartPolicy RestartPolicyOf(string? text)
    {
        if (string.IsNullOrEmpty(text))
            return new RestartPolicy { Name = "no" };
        var parts = text.Split(':');
        var name = parts[0];
        if (parts.Length > 2 || (parts.Length == 2 && name != "on-failure"))
            throw BerthException.InvalidArgument($"invalid restart policy format: maximum retry count can only be used with 'on-failure'");
        var count = 0;
        if (parts.Length == 2 && (!int.TryParse(parts[1], NumberStyles.Integer, CultureInfo.InvariantCulture, out count) || count < 0))
            throw BerthException.InvalidArgument($"invalid restart policy format: maximum retry count must be an integer");
        return new RestartPolicy { Name = name, MaximumRetryCount = count };
    }

    /// <summary>--ulimit name=soft[:hard].</summary>
    private static Ulimit ParseUlimit(string text)
    {
        var (name, limits) = Split(text, '=', "ulimit argument");
        var parts = limits.Split(':');
        if (parts.Length > 2 || !long.TryParse(parts[0], NumberStyles.Integer, CultureInfo.InvariantCulture, out var soft))
            throw BerthException.InvalidArgument($"invalid ulimit argument: {text}");
        var hard = soft;
        if (parts.Length == 2 && !long.TryParse(parts[1], NumberStyles.Integer, CultureInfo.InvariantCulture, out hard))
            throw BerthException.InvalidArgument($"invalid ulimit argument: {text}");
        if (soft > hard)
            throw BerthException.InvalidArgument($"ulimit soft limit must be less than or equal to hard limit: {soft} > {hard}");
        return new Ulimit { Name = name, Soft = soft, Hard = hard };
    }

    /// <summary>--device /dev/host[:/dev/container[:rwm]].</summary>
    private static DeviceMapping ParseDevice(string text)
    {
        var parts = text.Split(':');
        return parts.Length switch
        {
            1 => new DeviceMapping { PathOnHost = parts[0], PathInContainer = parts[0] },
            2 when parts[1].All(c => c is 'r' or 'w' or 'm') => new DeviceMapping { PathOnHost = parts[0], PathInContainer = parts[0], CgroupPermissions = parts[1] },
            2 => new DeviceMapping { PathOnHost = parts[0], PathInContainer = parts[1] },
            3 => new DeviceMapping { PathOnHost = parts[0], PathInContainer = parts[1], CgroupPermissions = parts[2] },
            _ => throw BerthException.InvalidArgument($"invalid device specification: {text}"),
        };
    }

    /// <summary>--mount type=bind|tmpfs,source=…,target=…,readonly,bind-propagation=…,tmpfs-size=…,tmpfs-mode=….</summary>
    private static MountSpec ParseMount(string text)
    {
        string type = "volume", source = "", target = "";
        var readOnly = false;
        string? propagation = null;
        long tmpfsSize = 0;
        uint tmpfsMode = 0;
        foreach (var field in text.Split(','))
        {
            var eq = field.IndexOf('=');
            var key = (eq < 0 ? field : field[..eq]).Trim().ToLowerInvariant();
            var value = eq < 0 ? "" : field[(eq + 1)..];
            switch (key)
            {
                case "type": type = value; break;
                case "source" or "src": source = value; break;
                case "target" or "destination" or "dst": target = value; break;
                case "readonly" or "ro": readOnly = eq < 0 || value is "1" or "true"; break;
                case "bind-propagation": propagation = value; break;
                case "tmpfs-size": tmpfsSize = Units.ParseSize(value, "tmpfs-size"); break;
                case "tmpfs-mode": tmpfsMode = Convert.ToUInt32(value, 8); break;
                case "consistency" or "bind-nonrecursive": break;
                default: throw BerthException.InvalidArgument($"invalid argument \"{text}\" for \"--mount\" flag: unexpected key '{key}' in '{field}'");
            }
        }
        if (type is not ("bind" or "tmpfs" or "volume"))
            throw BerthException.InvalidArgument($"invalid argument \"{text}\" for \"--mount\" flag: invalid mount type \"{type}\"");
        if (target.Length == 0)
            throw BerthException.InvalidArgument("invalid mount config: Target must not be empty");
        return new MountSpec
        {
            Type = type,
            Source = source,
            Target = target,
            ReadOnly = readOnly,
            BindOptions = propagation is null ? null : new BindOptions { Propagation = propagation },
            TmpfsOptions = type == "tmpfs" && (tmpfsSize > 0 || tmpfsMode > 0) ? new TmpfsOptions { SizeBytes = tmpfsSize, Mode = tmpfsMode } : null,
        };
    }

    /// <summary>-p [ip:][hostPort:]containerPort[/proto] and --expose port[/proto].</summary>
    private static (List<string> Exposed, IReadOnlyDictionary<string, IReadOnlyList<PortBinding>>? Bindings) Ports(string[] publish, string[] expose)
    {
        var exposed = new List<string>();
        var bindings = new Dictionary<string, IReadOnlyList<PortBinding>>(StringComparer.Ordinal);
        foreach (var e in expose)
            exposed.Add(PortKey(e, e));
        foreach (var p in publish)
        {
            var parts = p.Split(':');
            string ip = "", hostPort = "", containerPort;
            switch (parts.Length)
            {
                case 1: containerPort = parts[0]; break;
                case 2: hostPort = parts[0]; containerPort = parts[1]; break;
                case 3: ip = parts[0]; hostPort = parts[1]; containerPort = parts[2]; break;
                default: throw BerthException.InvalidArgument($"invalid argument \"{p}\" for \"-p, --publish\" flag: invalid publish opts format");
            }
            var key = PortKey(containerPort, p);
            if (!exposed.Contains(key))
                exposed.Add(key);
            var list = bindings.TryGetValue(key, out var existing) ? existing.ToList() : [];
            list.Add(new PortBinding { HostIp = ip, HostPort = hostPort });
            bindings[key] = list;
        }
        return (exposed, bindings.Count == 0 ? null : bindings);
    }

    private static string PortKey(string port, string original)
    {
        var slash = port.IndexOf('/');
        var number = slash < 0 ? port : port[..slash];
        var proto = slash < 0 ? "tcp" : port[(slash + 1)..];
        if (!ushort.TryParse(number, NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n == 0 || proto is not ("tcp" or "udp" or "sctp"))
            throw BerthException.InvalidArgument($"invalid argument \"{original}\" for \"-p, --publish\" flag: invalid containerPort: {number}");
        return $"{n}/{proto}";
    }
}
