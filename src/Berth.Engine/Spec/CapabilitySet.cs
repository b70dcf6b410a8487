using Berth.Errdefs;

namespace Berth.Engine.Spec;

/// <summary>
/// Docker's capability rules (<c>caps.TweakCapabilities</c>): the default set of 14, changed by
/// <c>--cap-add</c>/<c>--cap-drop</c>. Names are case-insensitive with or without <c>CAP_</c>;
/// <c>ALL</c> in cap-add means every capability but the dropped ones, <c>ALL</c> in cap-drop
/// means only the added ones. <c>--privileged</c> means every capability. An unknown name is
/// InvalidArgument <c>unknown capability: "CAP_X"</c>, docker's message.
/// </summary>
public static class CapabilitySet
{
    /// <summary>Docker's default set, in docker's order.</summary>
    public static readonly IReadOnlyList<string> Default =
    [
        "CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_FSETID", "CAP_FOWNER", "CAP_MKNOD", "CAP_NET_RAW", "CAP_SETGID",
        "CAP_SETUID", "CAP_SETFCAP", "CAP_SETPCAP", "CAP_NET_BIND_SERVICE", "CAP_SYS_CHROOT", "CAP_KILL",
        "CAP_AUDIT_WRITE",
    ];

    /// <summary>Every capability Berth knows (docker: every one the host kernel knows).</summary>
    public static IReadOnlyList<string> All => Berth.Linux.Capabilities.Names;

    public static IReadOnlyList<string> Resolve(IReadOnlyList<string>? add, IReadOnlyList<string>? drop, bool privileged)
    {
        if (privileged)
            return All;
        if (add is not { Count: > 0 } && drop is not { Count: > 0 })
            return Default;
        var adds = Normalize(add);
        var drops = Normalize(drop);
        IEnumerable<string> caps;
        if (adds.Contains("ALL"))
            caps = All.Where(c => !drops.Contains(c));
        else if (drops.Contains("ALL"))
            caps = adds;
        else
            caps = Default.Where(c => !drops.Contains(c)).Concat(adds);
        // Docker may list a capability twice (--cap-add CHOWN); one entry is the same set.
        return caps.Distinct(StringComparer.Ordinal).ToList();
    }

    /// <summary>Upper-cases and prefixes <c>CAP_</c>; keeps <c>ALL</c>; refuses unknown names.</summary>
    public static List<string> Normalize(IReadOnlyList<string>? names)
    {
        var normalized = new List<string>();
        foreach (var raw in names ?? [])
        {
            var name = raw.ToUpperInvariant();
            if (name == "ALL")
            {
                normalized.Add(name);
                continue;
            }
            if (!name.StartsWith("CAP_", StringComparison.Ordinal))
                name = "CAP_" + name;
            if (!All.Contains(name))
                throw BerthException.InvalidArgument($"unknown capability: \"{name}\"");
            normalized.Add(name);
        }
        return normalized;
    }
}
