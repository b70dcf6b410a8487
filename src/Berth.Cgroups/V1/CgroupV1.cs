using Berth.Cgroups.Fs;
using Berth.Errdefs;
using Berth.Oci.Runtime;

namespace Berth.Cgroups.V1;

/// <summary>
/// A cgroup on v1: one directory per controller hierarchy, plus the cgroup2 directory on a
/// hybrid host, which the container joins too (as runc does) so that tools reading the
/// unified hierarchy find it. Limits go to the controller that owns them; asking for a limit
/// of a controller that is not mounted is an error naming it.
/// </summary>
internal sealed partial class CgroupV1 : ICgroup
{
    private readonly CgroupFs _fs;
    private readonly CgroupOptions _options;

    public CgroupV1(CgroupPaths paths, CgroupFs fs, CgroupOptions options)
    {
        Paths = paths;
        _fs = fs;
        _options = options;
    }

    public CgroupPaths Paths { get; }

    /// <summary>Each distinct directory once (co-mounted controllers such as cpu,cpuacct share one), then the unified one.</summary>
    private IEnumerable<string> Directories()
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (_, dir) in Paths.Controllers.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            if (seen.Add(dir))
            {
                yield return dir;
            }
        }
        if (Paths.Unified is { } unified && seen.Add(unified))
        {
            yield return unified;
        }
    }

    private string? Dir(string controller) => Paths.Controllers.GetValueOrDefault(controller);

    /// <summary>The directory of a controller a limit needs, or an error saying it is not mounted.</summary>
    private string Require(string controller, string what) =>
        Dir(controller) ?? throw BerthException.FailedPrecondition($"set {what}: the `{controller}` cgroup controller is not mounted");

    public void Create(LinuxResources? resources)
    {
        try
        {
            if (resources is not null)
            {
                Validate(resources);
            }
            foreach (var dir in Directories())
            {
                if (dir == Dir("cpuset"))
                {
                    CgroupTree.MakeAll(dir);
                    FillCpusetChain(dir);
                }
                else
                {
                    CgroupTree.MakeAll(dir);
                }
            }
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
            Validate(resources);
            Set(resources);
        }
        catch (BerthException e)
        {
            throw e.Wrap("update cgroup");
        }
    }

    /// <summary>Checks that every limit asked for has somewhere to go before anything is written.</summary>
    private void Validate(LinuxResources r)
    {
        if (r.Unified is { Count: > 0 } && Paths.Unified is null)
        {
            throw BerthException.InvalidArgument("set unified resources: the host has no cgroup v2 hierarchy (cgroup v1 only)");
        }
        if (r.HugepageLimits is { Count: > 0 })
        {
            Require("hugetlb", $"hugetlb limit `{r.HugepageLimits[0].PageSize}`");
        }
        if (r.Memory?.Swappiness is > 100 and var swappiness)
        {
            throw BerthException.InvalidArgument($"set memory swappiness `{swappiness}`: valid range is 0-100");
        }
    }

    /// <summary>Writes the limits, controller by controller; the order inside each is the kernel's.</summary>
    private void Set(LinuxResources r)
    {
        SetCpuset(r.Cpu);
        SetDevices(r.Devices);
        SetMemory(r.Memory);
        SetCpu(r.Cpu);
        SetPids(r.Pids);
        SetBlkio(r.BlockIO);
        SetHugetlb(r.HugepageLimits);
        SetNetwork(r.Network);
        SetRdma(r.Rdma);
        SetUnified(r.Unified);
    }

    public void AddProcess(int pid)
    {
        foreach (var dir in Directories())
        {
            CgroupTree.WritePid(_fs, dir, pid);
        }
    }

    /// <summary>Read from the devices hierarchy like runc, else any one the container joined.</summary>
    public IReadOnlyList<int> Pids()
    {
        var dir = Dir("devices") ?? Dir("freezer") ?? Dir("memory") ?? Directories().First();
        return CgroupTree.ReadPids(dir);
    }

    public void Destroy()
    {
        var errors = new List<BerthException>();
        foreach (var dir in Directories())
        {
            try
            {
                CgroupTree.Remove(dir);
            }
            catch (BerthException e)
            {
                errors.Add(e);
            }
        }
        if (errors.Count > 0)
        {
            throw errors[0].Wrap("destroy cgroup");
        }
    }
}
