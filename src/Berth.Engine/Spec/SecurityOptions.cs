using Berth.Errdefs;

namespace Berth.Engine.Spec;

/// <summary>
/// The parsed <c>--security-opt</c> list, as docker's <c>parseSecurityOpt</c> reads it:
/// <c>no-new-privileges[=|:bool]</c>, <c>seccomp=unconfined|PROFILE</c> (PROFILE is the JSON
/// text the docker CLI sends, or a host path), <c>apparmor=</c>, <c>label=</c> and
/// <c>writable-cgroups=</c>. An option without a separator is
/// <c>invalid --security-opt 1: "X"</c>; an unknown key or a bad boolean
/// <c>invalid --security-opt 2: "X"</c> (docker's messages).
/// </summary>
public sealed record SecurityOptions
{
    public bool NoNewPrivileges { get; init; }

    /// <summary>Null for docker's default profile, "unconfined", or a profile (JSON text or path).</summary>
    public string? Seccomp { get; init; }

    public string? AppArmorProfile { get; init; }
    public IReadOnlyList<string> Labels { get; init; } = [];
    public bool? WritableCgroups { get; init; }

    public static SecurityOptions Parse(IReadOnlyList<string>? options)
    {
        var result = new SecurityOptions();
        var labels = new List<string>();
        foreach (var opt in options ?? [])
        {
            if (opt == "no-new-privileges")
            {
                result = result with { NoNewPrivileges = true };
                continue;
            }
            if (opt == "disable")
            {
                labels.Add("disable");
                continue;
            }
            var sep = opt.IndexOf('=');
            if (sep < 0)
                sep = opt.IndexOf(':');
            if (sep < 0)
                throw BerthException.InvalidArgument($"invalid --security-opt 1: \"{opt}\"");
            var (key, value) = (opt[..sep], opt[(sep + 1)..]);
            result = key switch
            {
                "label" => Add(result, labels, value),
                "apparmor" => result with { AppArmorProfile = value },
                "seccomp" => result with { Seccomp = value },
                "no-new-privileges" => result with { NoNewPrivileges = Bool(value, opt) },
                "writable-cgroups" => result with { WritableCgroups = Bool(value, opt) },
                _ => throw BerthException.InvalidArgument($"invalid --security-opt 2: \"{opt}\""),
            };
        }
        return result with { Labels = labels };
    }

    private static SecurityOptions Add(SecurityOptions result, List<string> labels, string value)
    {
        labels.Add(value);
        return result;
    }

    // Go's strconv.ParseBool.
    private static bool Bool(string value, string opt) => value switch
    {
        "1" or "t" or "T" or "true" or "TRUE" or "True" => true,
        "0" or "f" or "F" or "false" or "FALSE" or "False" => false,
        _ => throw BerthException.InvalidArgument($"invalid --security-opt 2: \"{opt}\""),
    };
}
