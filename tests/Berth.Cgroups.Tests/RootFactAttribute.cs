namespace Berth.Cgroups.Tests;

/// <summary>A test that needs root and real cgroup v1 hierarchies (this machine: hybrid); skipped elsewhere.</summary>
public sealed class RootFactAttribute : FactAttribute
{
    public RootFactAttribute()
    {
        if (Environment.UserName != "root")
        {
            Skip = "needs root";
        }
        else if (!Directory.Exists("/sys/fs/cgroup/memory") || !File.Exists("/sys/fs/cgroup/unified/cgroup.procs"))
        {
            Skip = "needs cgroup v1 hierarchies and a hybrid cgroup2 mount";
        }
    }
}
