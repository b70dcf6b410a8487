using System.Runtime.InteropServices;
using Berth.Errdefs;
using Berth.Linux;
using Berth.Linux.Interop;

namespace Berth.Cgroups.Fs;

/// <summary>Operations on a cgroup directory and its descendants, the same on v1 and v2.</summary>
internal static class CgroupTree
{
    /// <summary>The pids in cgroup.procs of <paramref name="dir"/> and every cgroup below it.</summary>
    public static List<int> ReadPids(string dir)
    {
        var pids = new List<int>();
        Collect(dir, pids);
        return pids;
    }

    private static void Collect(string dir, List<int> pids)
    {
        if (CgroupFs.TryRead(dir, "cgroup.procs") is not { } text)
        {
            if (!Directory.Exists(dir))
            {
                throw BerthException.NotFound($"read pids of cgroup `{dir}`: no such cgroup");
            }
            return;
        }
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            if (int.TryParse(line, out var pid))
            {
                pids.Add(pid);
            }
        }
        foreach (var child in SubCgroups(dir))
        {
            Collect(child, pids);
        }
    }

    private static IEnumerable<string> SubCgroups(string dir)
    {
        try
        {
            return Directory.GetDirectories(dir).Order(StringComparer.Ordinal).ToArray();
        }
        catch (DirectoryNotFoundException)
        {
            return [];
        }
    }

    /// <summary>
    /// Removes <paramref name="dir"/> and the cgroups below it, deepest first. rmdir fails
    /// with EBUSY while a task is still leaving (an exiting process is briefly still
    /// counted), so it is retried for a short while; a missing directory is success.
    /// </summary>
    public static void Remove(string dir)
    {
        if (!Directory.Exists(dir))
        {
            return;
        }
        foreach (var child in SubCgroups(dir))
        {
            Remove(child);
        }
        var delay = 10;
        for (var attempt = 0; ; attempt++)
        {
            if (Libc.rmdir(dir) == 0)
            {
                return;
            }
            var errno = Marshal.GetLastPInvokeError();
            if (errno == Errno.ENOENT)
            {
                return;
            }
            if (errno != Errno.EBUSY || attempt >= 8)
            {
                throw Errno.Exception($"remove cgroup `{dir}`", errno);
            }
            Thread.Sleep(delay);
            delay = Math.Min(delay * 2, 200);
        }
    }

    /// <summary>
    /// Makes <paramref name="dir"/> and any missing parents, calling <paramref name="created"/>
    /// top-down for each level it made (cpuset has to fill each new level before the next).
    /// </summary>
    public static void MakeAll(string dir, Action<string>? created = null)
    {
        var missing = new Stack<string>();
        for (var current = dir.TrimEnd('/'); current.Length > 0 && !Directory.Exists(current); current = Path.GetDirectoryName(current) ?? "")
        {
            missing.Push(current);
        }
        while (missing.TryPop(out var level))
        {
            CgroupFs.MakeDirectory(level);
            created?.Invoke(level);
        }
    }

    public static void WritePid(CgroupFs fs, string dir, int pid)
    {
        try
        {
            fs.Write(dir, "cgroup.procs", pid.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
        catch (BerthException e)
        {
            throw e.Wrap($"add process {pid} to cgroup `{dir}`");
        }
    }
}
