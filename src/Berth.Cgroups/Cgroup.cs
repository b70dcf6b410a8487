using Berth.Cgroups.Fs;
using Berth.Cgroups.Hierarchy;
using Berth.Cgroups.Paths;
using Berth.Cgroups.V1;
using Berth.Cgroups.V2;
using Berth.Errdefs;

namespace Berth.Cgroups;

/// <summary>
/// Opens containers' cgroups. <see cref="Open(string?, string, CgroupOptions?)"/> resolves a
/// config.json cgroupsPath against the hierarchies mounted on this host (see
/// <see cref="Paths.CgroupsPath"/> for the rules, which are runc's cgroupfs driver's);
/// <see cref="Load"/> reopens a cgroup from the <see cref="CgroupPaths"/> kept in a container's
/// state. Neither touches the cgroup itself: <see cref="ICgroup.Create"/> does.
/// </summary>
public static class Cgroup
{
    public static ICgroup Open(string? cgroupsPath, string containerId, CgroupOptions? options = null)
    {
        options ??= CgroupOptions.Default;
        var paths = Resolve(cgroupsPath, containerId, options);
        return Load(paths, options);
    }

    /// <summary>The directories <see cref="Open"/> would use, without opening anything.</summary>
    public static CgroupPaths Resolve(string? cgroupsPath, string containerId, CgroupOptions? options = null)
    {
        options ??= CgroupOptions.Default;
        var path = CgroupsPath.Parse(cgroupsPath, containerId);
        return PathResolver.Resolve(Hierarchies(options), path);
    }

    public static ICgroup Load(CgroupPaths paths, CgroupOptions? options = null)
    {
        options ??= CgroupOptions.Default;
        var fs = new CgroupFs(options.OnWrite);
        if (paths.IsV2)
        {
            return new CgroupV2(paths.Unified!, fs, options);
        }
        if (paths.Controllers.Count == 0)
        {
            throw BerthException.InvalidArgument("load cgroup: the saved paths name no directory");
        }
        return new CgroupV1(paths, fs, options);
    }

    /// <summary>
    /// Starts, on a background thread, the RCU grace period that the kernel's cgroup migration
    /// lock (cgroup_threadgroup_rwsem) waits for when it has not been taken for a while, by
    /// "moving" this process into the cgroup it is already in. A real move made while that
    /// grace period runs, or just after, does not wait again: a caller that primes first
    /// overlaps the wait (9–15 ms on this host) with its own work. Best effort, nothing is
    /// moved, failures are ignored.
    /// </summary>
    public static void Prime(CgroupOptions? options = null)
    {
        options ??= CgroupOptions.Default;
        string? procs = null;
        try
        {
            var hierarchies = Hierarchies(options);
            var (mount, key) = hierarchies.Unified is { } unified ? (unified, "") : hierarchies.V1.Select(p => (p.Value, p.Key)).FirstOrDefault();
            if (mount is null || !hierarchies.Own.TryGetValue(key, out var own))
                return;
            var relative = own.StartsWith(mount.Root, StringComparison.Ordinal) ? own[mount.Root.Length..] : own;
            procs = Path.Join(mount.MountPoint, relative, "cgroup.procs");
        }
        catch (BerthException)
        {
            return;
        }
        var pid = Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var thread = new Thread(() =>
        {
            try
            {
                File.WriteAllText(procs, pid);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Only an optimisation.
            }
        }, 64 * 1024) { IsBackground = true, Name = "cgroup prime" };
        thread.Start();
    }

    /// <summary>Whether the host runs cgroup v1, hybrid, or v2 only, from its mount table.</summary>
    public static CgroupMode DetectMode(CgroupOptions? options = null) => Hierarchies(options ?? CgroupOptions.Default).Mode;

    internal static CgroupHierarchies Hierarchies(CgroupOptions options)
    {
        var mountInfo = options.MountInfo ?? ReadProc("/proc/self/mountinfo");
        var selfCgroup = options.SelfCgroup ?? ReadProc("/proc/self/cgroup");
        return CgroupHierarchies.From(MountInfo.ParseCgroupMounts(mountInfo), ProcCgroup.Parse(selfCgroup), options.RootPrefix);
    }

    private static string ReadProc(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception e)
        {
            throw BerthException.Wrap(e, $"read `{path}`");
        }
    }
}
