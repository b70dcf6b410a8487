using Berth.Linux.Interop;

namespace Berth.Runtime.IntegrationTests.Harness;

/// <summary>
/// The host's cgroup mounts (v1 controllers, named hierarchies and cgroup2), read from
/// /proc/self/mountinfo, and what a container's cgroupsPath left in each of them.
/// </summary>
public static class CgroupHierarchies
{
    private static readonly Lazy<IReadOnlyList<Hierarchy>> All = new(Read);

    public static IReadOnlyList<Hierarchy> Mounted => All.Value;

    /// <summary>The mount point of a v1 controller (<c>memory</c>, <c>pids</c>…), or null.</summary>
    public static string? V1(string controller) =>
        Mounted.FirstOrDefault(h => h.Version == 1 && h.Controllers.Contains(controller))?.MountPoint;

    /// <summary>The cgroup2 mount point (<c>/sys/fs/cgroup</c> or <c>…/unified</c>), or null.</summary>
    public static string? V2 => Mounted.FirstOrDefault(h => h.Version == 2)?.MountPoint;

    /// <summary>The directory of <paramref name="cgroupsPath"/> in the hierarchy holding a controller.</summary>
    public static string? PathOf(string controller, string cgroupsPath)
    {
        var v1 = V1(controller);
        if (v1 is not null)
            return Path.Combine(v1, cgroupsPath.TrimStart('/'));
        return V2 is null ? null : Path.Combine(V2, cgroupsPath.TrimStart('/'));
    }

    /// <summary>Every directory named by <paramref name="cgroupsPath"/> that exists in any hierarchy.</summary>
    public static IReadOnlyList<string> Existing(string cgroupsPath) =>
        [.. Mounted.Select(h => Path.Combine(h.MountPoint, cgroupsPath.TrimStart('/'))).Where(Directory.Exists)];

    /// <summary>
    /// Removes what a failed test left: thaws a frozen cgroup, SIGKILLs the pids listed in it
    /// and removes the directories, deepest first. Returns what could not be removed.
    /// </summary>
    public static IReadOnlyList<string> ForceRemove(string cgroupsPath)
    {
        var left = new List<string>();
        foreach (var dir in Existing(cgroupsPath))
        {
            var subdirs = Directory.EnumerateDirectories(dir, "*", SearchOption.AllDirectories)
                .OrderByDescending(d => d.Length).Append(dir);
            foreach (var d in subdirs)
            {
                TryWrite(Path.Combine(d, "freezer.state"), "THAWED");
                TryWrite(Path.Combine(d, "cgroup.freeze"), "0");
                for (var attempt = 0; attempt < 50 && Directory.Exists(d); attempt++)
                {
                    foreach (var pid in Pids(d))
                        Libc.kill(pid, 9);
                    try
                    {
                        Directory.Delete(d);
                    }
                    catch (IOException)
                    {
                        Thread.Sleep(20);
                    }
                }
                if (Directory.Exists(d))
                    left.Add(d);
            }
        }
        return left;
    }

    /// <summary>The pids in a cgroup directory's <c>cgroup.procs</c>.</summary>
    public static IReadOnlyList<int> Pids(string dir)
    {
        try
        {
            return [.. File.ReadAllLines(Path.Combine(dir, "cgroup.procs")).Where(l => l.Length > 0).Select(int.Parse)];
        }
        catch (IOException)
        {
            return [];
        }
    }

    /// <summary>Removes an empty parent directory (<c>/berth-it</c>) from every hierarchy; ignores failures.</summary>
    public static void TryRemoveEmpty(string cgroupsPath)
    {
        foreach (var dir in Existing(cgroupsPath))
        {
            try { Directory.Delete(dir); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }

    private static void TryWrite(string path, string value)
    {
        try
        {
            if (File.Exists(path))
                File.WriteAllText(path, value);
        }
        catch (IOException) { }
    }

    private static IReadOnlyList<Hierarchy> Read()
    {
        var result = new List<Hierarchy>();
        foreach (var line in File.ReadAllLines("/proc/self/mountinfo"))
        {
            // id parent major:minor root mountpoint options [optional…] - fstype source superoptions
            var dash = line.IndexOf(" - ", StringComparison.Ordinal);
            var left = line[..dash].Split(' ');
            var right = line[(dash + 3)..].Split(' ');
            var mountPoint = left[4].Replace("\\040", " ");
            if (right[0] == "cgroup2")
                result.Add(new Hierarchy(mountPoint, 2, []));
            else if (right[0] == "cgroup")
                result.Add(new Hierarchy(mountPoint, 1, right[2].Split(',')));
        }
        return result;
    }

    public sealed record Hierarchy(string MountPoint, int Version, IReadOnlyList<string> Controllers);
}
