using Berth.Engine.Model;
using Berth.Errdefs;
using Berth.Oci.Runtime;

namespace Berth.Engine.Spec;

/// <summary>
/// Turns <c>--ulimit</c> entries into the spec's rlimits: <c>nofile</c> becomes
/// <c>RLIMIT_NOFILE</c>, -1 means unlimited. An unknown name is InvalidArgument
/// "invalid ulimit type: X" and a soft limit above the hard one
/// "ulimit soft limit must be less than or equal to hard limit: S > H", docker's messages.
/// </summary>
public static class UlimitMap
{
    /// <summary>The names docker (go-units) accepts.</summary>
    public static readonly IReadOnlyList<string> Names =
    [
        "as", "core", "cpu", "data", "fsize", "locks", "memlock", "msgqueue", "nice", "nofile", "nproc", "rss",
        "rtprio", "rttime", "sigpending", "stack",
    ];

    public static IReadOnlyList<PosixRlimit> Map(IReadOnlyList<Ulimit>? ulimits)
    {
        var rlimits = new List<PosixRlimit>();
        foreach (var u in ulimits ?? [])
        {
            if (!Names.Contains(u.Name))
                throw BerthException.InvalidArgument($"invalid ulimit type: {u.Name}");
            if (u.Hard != -1 && (u.Soft == -1 || u.Soft > u.Hard))
                throw BerthException.InvalidArgument(
                    $"ulimit soft limit must be less than or equal to hard limit: {u.Soft} > {u.Hard}");
            rlimits.Add(new PosixRlimit
            {
                Type = "RLIMIT_" + u.Name.ToUpperInvariant(),
                Soft = unchecked((ulong)u.Soft),
                Hard = unchecked((ulong)u.Hard),
            });
        }
        return rlimits;
    }
}
