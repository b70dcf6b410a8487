using Berth.Errdefs;

namespace Berth.Cgroups.V2;

/// <summary>A key of the runtime spec's "unified" map names a file in the cgroup directory, nothing else.</summary>
internal static class UnifiedKey
{
    public static void Check(string key)
    {
        if (key.Length == 0 || key.Contains('/', StringComparison.Ordinal) || key is "." or ".." || key.Contains('\0', StringComparison.Ordinal))
        {
            throw BerthException.InvalidArgument($"set unified `{key}`: not a cgroup file name");
        }
        if (key is "cgroup.procs" or "cgroup.threads" or "cgroup.subtree_control" or "cgroup.type")
        {
            throw BerthException.InvalidArgument($"set unified `{key}`: managed by the runtime, not a resource");
        }
    }
}
