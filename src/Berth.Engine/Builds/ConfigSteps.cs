using System.Globalization;
using Berth.Build.Instructions;
using Berth.Errdefs;
using Berth.Oci.Image;

namespace Berth.Engine.Builds;

/// <summary>
/// The instructions that change only the image's execution defaults, as docker applies them:
/// ENV replaces a variable in place or appends it, LABEL merges, EXPOSE normalises
/// <c>80</c> to <c>80/tcp</c> and expands ranges, WORKDIR joins a relative path to the current
/// one, CMD and ENTRYPOINT in shell form run under the stage's SHELL, an ENTRYPOINT resets a CMD
/// the Dockerfile has not set in this stage, HEALTHCHECK durations are Go durations. Pure:
/// returns the new config.
/// </summary>
public static class ConfigSteps
{
    public static readonly IReadOnlyList<string> DefaultShell = ["/bin/sh", "-c"];

    /// <summary>True for the instructions <see cref="Apply"/> handles.</summary>
    public static bool Handles(Instruction instruction) => instruction is EnvInstruction or LabelInstruction or ExposeInstruction
        or VolumeInstruction or UserInstruction or CmdInstruction or EntrypointInstruction or ShellInstruction
        or StopSignalInstruction or HealthcheckInstruction or OnBuildInstruction or MaintainerInstruction or ArgInstruction;

    /// <summary>
    /// Applies one instruction. <paramref name="cmdSet"/> says whether a CMD came earlier in this
    /// stage (docker keeps such a CMD when an ENTRYPOINT follows); <paramref name="onBuildText"/>
    /// is the trigger as written, for ONBUILD.
    /// </summary>
    public static ImageConfig Apply(ImageConfig image, Instruction instruction, bool cmdSet, string? onBuildText = null)
    {
        var c = image.Config ?? new ContainerConfig();
        var shell = c.Shell is { Count: > 0 } s ? s : DefaultShell;
        switch (instruction)
        {
            case MaintainerInstruction m:
                return image with { Author = m.Name };
            case ArgInstruction:
                return image;
            default:
                return image with { Config = ApplyExec(c, instruction, shell, cmdSet, onBuildText) };
        }
    }

    private static ContainerConfig ApplyExec(ContainerConfig c, Instruction instruction, IReadOnlyList<string> shell, bool cmdSet, string? onBuildText) => instruction switch
    {
        EnvInstruction e => c with { Env = SetEnv(c.Env, e.Variables.Select(v => (v.Key, v.Value ?? ""))) },
        LabelInstruction l => c with { Labels = Merge(c.Labels, l.Labels.Select(v => (v.Key, v.Value ?? ""))) },
        ExposeInstruction x => c with { ExposedPorts = Union(c.ExposedPorts, x.Ports.SelectMany(ExpandPort)) },
        VolumeInstruction v => c with { Volumes = Union(c.Volumes, v.Paths.Select(p => p.Length == 0
            ? throw BerthException.InvalidArgument("VOLUME specified can not be an empty string") : p)) },
        UserInstruction u => c with { User = u.User },
        CmdInstruction cmd => c with { Cmd = Command(cmd.Command, shell) },
        EntrypointInstruction ep => c with
        {
            Entrypoint = Command(ep.Command, shell) is { Count: > 0 } e ? e : null,
            Cmd = cmdSet ? c.Cmd : null,
        },
        ShellInstruction sh => c with { Shell = sh.Shell },
        StopSignalInstruction st => c with { StopSignal = ValidSignal(st.Signal) },
        HealthcheckInstruction h => c with { Healthcheck = Health(h, shell) },
        OnBuildInstruction => c with { OnBuild = (c.OnBuild ?? []).Append(onBuildText ?? "").ToList() },
        _ => throw BerthException.Internal($"instruction {instruction.GetType().Name} is not a config step"),
    };

    /// <summary>A CMD/ENTRYPOINT/RUN command line: exec form as given, shell form under the shell.</summary>
    public static IReadOnlyList<string> Command(CommandLine command, IReadOnlyList<string> shell) =>
        command.PrependShell ? [.. shell, string.Join(' ', command.Args)] : command.Args;

    /// <summary>ENV semantics on a KEY=VALUE list: replace in place, else append.</summary>
    public static IReadOnlyList<string> SetEnv(IReadOnlyList<string>? env, IEnumerable<(string Key, string Value)> values)
    {
        var list = (env ?? []).ToList();
        foreach (var (key, value) in values)
        {
            var at = list.FindIndex(x => x.Split('=', 2)[0] == key);
            if (at >= 0)
                list[at] = key + "=" + value;
            else
                list.Add(key + "=" + value);
        }
        return list;
    }

    private static Dictionary<string, string> Merge(IReadOnlyDictionary<string, string>? labels, IEnumerable<(string Key, string Value)> values)
    {
        var merged = labels is null ? new Dictionary<string, string>(StringComparer.Ordinal) : new Dictionary<string, string>(labels, StringComparer.Ordinal);
        foreach (var (key, value) in values)
            merged[key] = value;
        return merged;
    }

    private static List<string> Union(IReadOnlyList<string>? current, IEnumerable<string> added) =>
        (current ?? []).Concat(added).Distinct(StringComparer.Ordinal).ToList();

    /// <summary>docker's port spec: <c>80</c>, <c>80/udp</c>, <c>8000-8002/tcp</c> (each port of a range).</summary>
    public static IEnumerable<string> ExpandPort(string spec)
    {
        var slash = spec.IndexOf('/', StringComparison.Ordinal);
        var proto = slash < 0 ? "tcp" : spec[(slash + 1)..].ToLowerInvariant();
        var ports = slash < 0 ? spec : spec[..slash];
        if (proto is not ("tcp" or "udp" or "sctp"))
            throw BerthException.InvalidArgument($"invalid proto: {proto}");
        var dash = ports.IndexOf('-', StringComparison.Ordinal);
        var first = Port(dash < 0 ? ports : ports[..dash], spec);
        var last = dash < 0 ? first : Port(ports[(dash + 1)..], spec);
        if (last < first)
            throw BerthException.InvalidArgument($"invalid range specified for container port: {ports}");
        for (var p = first; p <= last; p++)
            yield return p.ToString(CultureInfo.InvariantCulture) + "/" + proto;
    }

    private static int Port(string text, string spec) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var p) && p is >= 0 and <= 65535
            ? p
            : throw BerthException.InvalidArgument($"invalid containerPort: {spec}");

    private static string ValidSignal(string signal)
    {
        var s = signal.StartsWith("SIG", StringComparison.OrdinalIgnoreCase) ? signal[3..] : signal;
        if (s.Length == 0 || !(s.All(char.IsAsciiDigit) || s.All(ch => char.IsAsciiLetter(ch) || char.IsAsciiDigit(ch) || ch == '+' || ch == '-')))
            throw BerthException.InvalidArgument($"Invalid signal: {signal}");
        return signal;
    }

    private static HealthConfig Health(HealthcheckInstruction h, IReadOnlyList<string> shell)
    {
        if (h.Command is null)
            return new HealthConfig { Test = ["NONE"] };
        var test = h.Command.PrependShell
            ? new List<string> { "CMD-SHELL", string.Join(' ', h.Command.Args) }
            : new List<string> { "CMD" }.Concat(h.Command.Args).ToList();
        return new HealthConfig
        {
            Test = test,
            Interval = Duration(h.Interval, "Interval"),
            Timeout = Duration(h.Timeout, "Timeout"),
            StartPeriod = Duration(h.StartPeriod, "StartPeriod"),
            StartInterval = Duration(h.StartInterval, "StartInterval"),
            Retries = h.Retries is > 0 ? h.Retries : null,
        };
    }

    private static long? Duration(string? text, string name)
    {
        if (text is null)
            return null;
        var nanos = GoDuration.Parse(text);
        if (nanos < 0)
            throw BerthException.InvalidArgument($"{name} cannot be negative");
        if (nanos is > 0 and < 1_000_000)
            throw BerthException.InvalidArgument($"{name} cannot be less than 1ms");
        return nanos == 0 ? null : nanos;
    }
}
