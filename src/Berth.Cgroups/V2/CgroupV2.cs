using Berth.Cgroups.Fs;
using Berth.Errdefs;
using Berth.Oci.Runtime;

namespace Berth.Cgroups.V2;

/// <summary>
/// A cgroup on v2: one directory in the unified hierarchy. A controller's files appear in a
/// cgroup only once its parent lists the controller in cgroup.subtree_control, so
/// <see cref="Create"/> and <see cref="Update"/> enable controllers on the way down: cpu, io,
/// memory and pids always (limits and stats use them), cpuset, hugetlb, rdma and others
/// only when the resources ask for them. (runc enables every available controller; enabling
/// fewer keeps Berth from claiming, say, hugetlb, which a hybrid host may want to mount as
/// v1.) A cgroup that holds processes cannot enable controllers for its children (EBUSY),
/// which is why relative paths start at the runtime's parent cgroup; such failures are
/// ignored there and surface as a missing file when a limit needing the controller is written.
/// </summary>
internal sealed partial class CgroupV2 : ICgroup
{
    private readonly string _dir;
    private readonly CgroupFs _fs;
    private readonly CgroupOptions _options;

    public CgroupV2(string dir, CgroupFs fs, CgroupOptions options)
    {
        _dir = dir.TrimEnd('/');
        _fs = fs;
        _options = options;
    }

    public CgroupPaths Paths => new() { Unified = _dir };

    public void Create(LinuxResources? resources)
    {
        try
        {
            EnableControllers(Wanted(resources), create: true);
            CgroupTree.MakeAll(_dir);
            if (resources is not null)
            {
                Set(resources);
            }
        }
        catch (BerthException e)
        {
            throw e.Wrap("create cgroup");
        }
    }

    public void Update(LinuxResources resources)
    {
        try
        {
            EnableControllers(Wanted(resources), create: false);
            Set(resources);
        }
        catch (BerthException e)
        {
            throw e.Wrap("update cgroup");
        }
    }

    /// <summary>The unified map goes last so that it overrides what the typed fields wrote.</summary>
    private void Set(LinuxResources r)
    {
        foreach (var key in r.Unified?.Keys ?? [])
        {
            UnifiedKey.Check(key);
        }
        SetPids(r.Pids);
        SetMemory(r.Memory);
        SetIo(r.BlockIO);
        SetCpu(r.Cpu);
        SetDevices(r.Devices);
        SetCpuset(r.Cpu);
        SetHugetlb(r.HugepageLimits);
        SetRdma(r.Rdma);
        SetUnified(r.Unified);
    }

    private static readonly string[] AlwaysEnabled = ["cpu", "io", "memory", "pids"];

    /// <summary>The controllers a container with these resources needs enabled.</summary>
    internal static HashSet<string> Wanted(LinuxResources? r)
    {
        var wanted = new HashSet<string>(AlwaysEnabled, StringComparer.Ordinal);
        if (!string.IsNullOrEmpty(r?.Cpu?.Cpus) || !string.IsNullOrEmpty(r?.Cpu?.Mems))
        {
            wanted.Add("cpuset");
        }
        if (r?.HugepageLimits is { Count: > 0 })
        {
            wanted.Add("hugetlb");
        }
        if (r?.Rdma is { Count: > 0 })
        {
            wanted.Add("rdma");
        }
        foreach (var key in r?.Unified?.Keys ?? [])
        {
            var controller = key.Split('.')[0];
            if (controller is not ("cgroup" or ""))
            {
                wanted.Add(controller);
            }
        }
        return wanted;
    }

    /// <summary>
    /// Walks from the top of the hierarchy to the parent of <see cref="_dir"/>, creating
    /// missing levels when <paramref name="create"/>, and adding the wanted controllers each
    /// level has available (its cgroup.controllers) to its cgroup.subtree_control. The top is
    /// the highest ancestor with a cgroup.controllers file: the mount point.
    /// </summary>
    private void EnableControllers(HashSet<string> wanted, bool create)
    {
        var chain = new List<string>();
        for (var dir = Parent(_dir); dir is not null; dir = Parent(dir))
        {
            chain.Insert(0, dir);
            if (Directory.Exists(dir) && !(Parent(dir) is { } up && CgroupFs.Exists(up, "cgroup.controllers")))
            {
                break;
            }
        }
        if (chain.Count == 0 || !CgroupFs.Exists(chain[0], "cgroup.controllers"))
        {
            throw BerthException.FailedPrecondition($"create cgroup `{_dir}`: not inside a cgroup v2 hierarchy");
        }
        foreach (var dir in chain)
        {
            if (!Directory.Exists(dir))
            {
                if (!create)
                {
                    return;
                }
                CgroupFs.MakeDirectory(dir);
            }
            if (!CgroupFs.Exists(dir, "cgroup.controllers"))
            {
                continue;
            }
            var available = Words(CgroupFs.TryRead(dir, "cgroup.controllers"));
            var enabled = Words(CgroupFs.TryRead(dir, "cgroup.subtree_control"));
            var missing = available.Where(wanted.Contains).Except(enabled).ToList();
            if (missing.Count == 0)
            {
                continue;
            }
            try
            {
                _fs.Write(dir, "cgroup.subtree_control", string.Join(' ', missing.Select(c => "+" + c)));
            }
            catch (BerthException)
            {
                foreach (var controller in missing)
                {
                    try
                    {
                        _fs.Write(dir, "cgroup.subtree_control", "+" + controller);
                    }
                    catch (BerthException)
                    {
                        // Not delegated to us, or the cgroup holds processes: a limit needing it will say so.
                    }
                }
            }
        }
    }

    private static string? Parent(string dir)
    {
        var slash = dir.LastIndexOf('/');
        return slash <= 0 ? null : dir[..slash];
    }

    private static List<string> Words(string? text) =>
        text is null ? [] : [.. text.Split((char[])[' ', '\n'], StringSplitOptions.RemoveEmptyEntries)];

    public void AddProcess(int pid) => CgroupTree.WritePid(_fs, _dir, pid);

    public IReadOnlyList<int> Pids() => CgroupTree.ReadPids(_dir);

    public void Destroy()
    {
        try
        {
            CgroupTree.Remove(_dir);
        }
        catch (BerthException e)
        {
            throw e.Wrap("destroy cgroup");
        }
    }
}
