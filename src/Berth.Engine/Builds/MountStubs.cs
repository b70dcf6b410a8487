using Berth.Build.Context;

namespace Berth.Engine.Builds;

/// <summary>
/// The empty files and directories a runtime creates in a rootfs so it can mount over them
/// (<c>/proc</c>, <c>/dev/shm</c>, <c>/etc/resolv.conf</c>, a cache mount's target…). They are not
/// the step's work, so they must not reach its layer, as BuildKit removes them: after the run,
/// each mount destination that no lower layer has, and that is still empty in the upper
/// directory, is removed. Parent directories made on the way stay, as docker's and buildah's do
/// (a cache mount at /var/cache/x leaves /var/cache).
/// </summary>
internal static class MountStubs
{
    public static void Remove(string upper, IReadOnlyList<string> lowers, IEnumerable<string> destinations)
    {
        foreach (var destination in destinations.Select(Clean).Where(d => d.Length > 0).Distinct().OrderByDescending(d => d.Count(c => c == '/')))
        {
            NormaliseParents(upper, lowers, destination);
            RemoveStub(upper, lowers, destination);
        }
    }

    /// <summary>Removes one mount point if no lower has it and it is still empty (a directory, or a 0-byte file).</summary>
    private static void RemoveStub(string upper, IReadOnlyList<string> lowers, string path)
    {
        if (lowers.Any(l => FileStat.TryLstat(Path.Combine(l, path)) is not null))
            return;
        var full = Path.Combine(upper, path);
        var info = new FileInfo(full);
        if (info.LinkTarget is not null)
            return;
        if (Directory.Exists(full))
        {
            if (!Directory.EnumerateFileSystemEntries(full).Any())
                Directory.Delete(full);
        }
        else if (info.Exists && info.Length == 0)
        {
            info.Delete();
        }
    }

    /// <summary>
    /// Parents the runtime made for a mount point (no lower has them) get the 0755 docker and
    /// buildah give them; a runtime may make them 0777.
    /// </summary>
    private static void NormaliseParents(string upper, IReadOnlyList<string> lowers, string destination)
    {
        for (var slash = destination.LastIndexOf('/'); slash > 0; slash = destination.LastIndexOf('/', slash - 1))
        {
            var parent = destination[..slash];
            if (lowers.Any(l => FileStat.TryLstat(Path.Combine(l, parent)) is not null))
                break;
            var full = Path.Combine(upper, parent);
            if (FileStat.TryLstat(full) is { IsDirectory: true, Permissions: 0x1ff })
                File.SetUnixFileMode(full, (UnixFileMode)0x1ed);
        }
    }

    private static string Clean(string destination) => string.Join('/', destination.Split('/', StringSplitOptions.RemoveEmptyEntries).Where(p => p != "."));
}
