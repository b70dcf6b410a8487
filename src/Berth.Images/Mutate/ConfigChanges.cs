using Berth.Errdefs;
using Berth.Linux.Files;
using Berth.Oci.Image;

namespace Berth.Images.Mutate;

/// <summary>
/// Applies <c>import --change</c> / <c>commit --change</c> lines to an image's execution defaults.
/// Each change is one Dockerfile instruction among those docker accepts there: CMD, ENTRYPOINT,
/// ENV, EXPOSE, HEALTHCHECK, LABEL, ONBUILD, USER, VOLUME, WORKDIR (the keyword in any case).
/// CMD, ENTRYPOINT, VOLUME and HEALTHCHECK CMD take the JSON (exec) form or the shell form, which
/// becomes <c>["/bin/sh","-c","…"]</c>. As in a Dockerfile, ENTRYPOINT clears a CMD that was not
/// set by the same set of changes. Words may be quoted; variables are not expanded.
/// <para>
/// Bad input: any other instruction (RUN, COPY, FROM, STOPSIGNAL…), a missing argument, an invalid
/// port, duration or quote is InvalidArgument naming the change:
/// <c>apply change `RUN ls`: `RUN` is not a valid change command (…)</c>. The input config is
/// never modified: a new one is returned.
/// </para>
/// </summary>
public static class ConfigChanges
{
    /// <summary>The instructions a change may use, as docker's <c>validCommitCommands</c>.</summary>
    public static IReadOnlyList<string> Instructions { get; } =
        ["CMD", "ENTRYPOINT", "ENV", "EXPOSE", "HEALTHCHECK", "LABEL", "ONBUILD", "USER", "VOLUME", "WORKDIR"];

    public static ContainerConfig Apply(ContainerConfig? config, IEnumerable<string> changes)
    {
        ArgumentNullException.ThrowIfNull(changes);
        var result = config ?? new ContainerConfig();
        var cmdSet = false;
        foreach (var change in changes)
        {
            try
            {
                result = ApplyOne(result, change, ref cmdSet);
            }
            catch (BerthException e)
            {
                throw e.Wrap($"apply change `{change.ReplaceLineEndings(" ")}`");
            }
        }
        return result;
    }

    private static ContainerConfig ApplyOne(ContainerConfig config, string change, ref bool cmdSet)
    {
        var text = change.Trim();
        var blank = text.IndexOfAny([' ', '\t']);
        var keyword = (blank < 0 ? text : text[..blank]).ToUpperInvariant();
        var rest = blank < 0 ? "" : text[(blank + 1)..].Trim();
        if (!Instructions.Contains(keyword))
            throw BerthException.InvalidArgument(
                $"`{(keyword.Length == 0 ? "(empty)" : keyword)}` is not a valid change command (allowed: {string.Join(", ", Instructions)})");
        if (rest.Length == 0)
            throw BerthException.InvalidArgument($"{keyword} requires at least one argument");
        switch (keyword)
        {
            case "CMD":
                cmdSet = true;
                return config with { Cmd = Command(rest) };
            case "ENTRYPOINT":
                return config with { Entrypoint = Command(rest), Cmd = cmdSet ? config.Cmd : null };
            case "ENV":
                return config with { Env = Env(config.Env, Pairs(rest, "ENV")) };
            case "LABEL":
                var labels = new Dictionary<string, string>(config.Labels ?? new Dictionary<string, string>());
                foreach (var (key, value) in Pairs(rest, "LABEL"))
                    labels[key] = value;
                return config with { Labels = labels };
            case "EXPOSE":
                return config with { ExposedPorts = Union(config.ExposedPorts, ChangeWords.Split(rest).SelectMany(Ports)) };
            case "VOLUME":
                var volumes = ChangeWords.TryJsonArray(rest) ?? ChangeWords.Split(rest);
                if (volumes.Count == 0 || volumes.Any(v => v.Trim().Length == 0))
                    throw BerthException.InvalidArgument("VOLUME specified can not be an empty string");
                return config with { Volumes = Union(config.Volumes, volumes) };
            case "USER":
                return config with { User = rest };
            case "WORKDIR":
                var dir = rest.StartsWith('/') ? rest : (config.WorkingDir is { Length: > 0 } cwd ? cwd : "/") + "/" + rest;
                return config with { WorkingDir = RootPath.Clean(dir) };
            case "ONBUILD":
                return config with { OnBuild = [.. config.OnBuild ?? [], OnBuild(rest)] };
            default: // HEALTHCHECK
                return config with { Healthcheck = Healthcheck(rest) };
        }
    }

    private static List<string> Command(string rest) => ChangeWords.TryJsonArray(rest) ?? ["/bin/sh", "-c", rest];

    /// <summary><c>k=v k2="v 2"</c>, or the legacy <c>key value with spaces</c>.</summary>
    private static List<(string Key, string Value)> Pairs(string rest, string keyword)
    {
        var words = ChangeWords.Split(rest);
        if (!words[0].Contains('='))
        {
            var blank = rest.IndexOfAny([' ', '\t']);
            if (blank < 0)
                throw BerthException.InvalidArgument($"{keyword} must have two arguments");
            return [(words[0], rest[(blank + 1)..].Trim())];
        }
        var pairs = new List<(string, string)>();
        foreach (var word in words)
        {
            var eq = word.IndexOf('=');
            if (eq <= 0)
                throw BerthException.InvalidArgument($"{keyword} names can not be blank, and each needs a value: `{word}`");
            pairs.Add((word[..eq], word[(eq + 1)..]));
        }
        return pairs;
    }

    private static List<string> Env(IReadOnlyList<string>? env, List<(string Key, string Value)> pairs)
    {
        var result = env?.ToList() ?? [];
        foreach (var (key, value) in pairs)
        {
            var entry = key + "=" + value;
            var at = result.FindIndex(e => e == key || e.StartsWith(key + "=", StringComparison.Ordinal));
            if (at >= 0)
                result[at] = entry;
            else
                result.Add(entry);
        }
        return result;
    }

    private static IEnumerable<string> Ports(string word)
    {
        var slash = word.IndexOf('/');
        var proto = slash < 0 ? "tcp" : word[(slash + 1)..].ToLowerInvariant();
        var range = slash < 0 ? word : word[..slash];
        if (proto is not ("tcp" or "udp" or "sctp"))
            throw BerthException.InvalidArgument($"invalid proto `{proto}` in port `{word}`");
        var dash = range.IndexOf('-');
        var first = Port(dash < 0 ? range : range[..dash], word);
        var last = dash < 0 ? first : Port(range[(dash + 1)..], word);
        if (last < first)
            throw BerthException.InvalidArgument($"invalid port range `{word}`");
        for (var port = first; port <= last; port++)
            yield return $"{port}/{proto}";
    }

    private static int Port(string text, string word) =>
        int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var port)
            && port is >= 0 and <= 65535
            ? port
            : throw BerthException.InvalidArgument($"invalid port `{word}`");

    /// <summary>A set (ports, volumes) kept sorted, as Go writes a map: the same changes give the same config.</summary>
    private static List<string> Union(IReadOnlyList<string>? existing, IEnumerable<string> added) =>
        (existing ?? []).Concat(added).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();

    private static string OnBuild(string rest)
    {
        var blank = rest.IndexOfAny([' ', '\t']);
        var trigger = (blank < 0 ? rest : rest[..blank]).ToUpperInvariant();
        if (trigger is "ONBUILD" or "FROM" or "MAINTAINER")
            throw BerthException.InvalidArgument($"{trigger} isn't allowed as an ONBUILD trigger");
        return blank < 0 ? trigger : trigger + rest[blank..];
    }

    private static HealthConfig Healthcheck(string rest)
    {
        var health = new HealthConfig();
        while (rest.StartsWith("--", StringComparison.Ordinal))
        {
            var blank = rest.IndexOfAny([' ', '\t']);
            var flag = blank < 0 ? rest : rest[..blank];
            rest = blank < 0 ? "" : rest[(blank + 1)..].TrimStart();
            var eq = flag.IndexOf('=');
            var (name, value) = eq < 0 ? (flag, "") : (flag[..eq], flag[(eq + 1)..]);
            health = name switch
            {
                "--interval" => health with { Interval = ChangeWords.ParseDuration(value) },
                "--timeout" => health with { Timeout = ChangeWords.ParseDuration(value) },
                "--start-period" => health with { StartPeriod = ChangeWords.ParseDuration(value) },
                "--start-interval" => health with { StartInterval = ChangeWords.ParseDuration(value) },
                "--retries" => health with
                {
                    Retries = int.TryParse(value, System.Globalization.CultureInfo.InvariantCulture, out var n) && n >= 0
                        ? n
                        : throw BerthException.InvalidArgument($"invalid --retries `{value}`"),
                },
                _ => throw BerthException.InvalidArgument($"unknown HEALTHCHECK flag `{name}`"),
            };
        }
        var blankAt = rest.IndexOfAny([' ', '\t']);
        var type = (blankAt < 0 ? rest : rest[..blankAt]).ToUpperInvariant();
        var command = blankAt < 0 ? "" : rest[(blankAt + 1)..].Trim();
        if (type == "NONE")
            return command.Length == 0 ? new HealthConfig { Test = ["NONE"] } : throw BerthException.InvalidArgument("HEALTHCHECK NONE takes no arguments");
        if (type != "CMD")
            throw BerthException.InvalidArgument($"unknown type `{type}` in HEALTHCHECK (try CMD)");
        if (command.Length == 0)
            throw BerthException.InvalidArgument("missing command after HEALTHCHECK CMD");
        return health with { Test = ChangeWords.TryJsonArray(command) is { } exec ? ["CMD", .. exec] : ["CMD-SHELL", command] };
    }
}
